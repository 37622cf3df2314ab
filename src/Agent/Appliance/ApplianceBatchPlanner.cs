using System.Globalization;
using System.Security.Cryptography;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>
/// Turns a <see cref="GuestEditBatch"/> into appliance calls without writing: each operation is checked against the
/// guest as the earlier ones leave it (<see cref="ApplianceView"/>), so a batch that cannot apply fails before the first
/// write. Each step carries the change it reports and the calls that make it.
/// </summary>
internal sealed class ApplianceBatchPlanner(ApplianceView view)
{
    /// <summary>Contents up to this size go in one <c>write</c> call; larger ones are uploaded from a host file.</summary>
    public const int InlineWriteLimit = 1 << 20;

    private readonly List<ApplianceStep> _steps = [];

    public IReadOnlyList<ApplianceStep> Plan(GuestEditBatch batch)
    {
        foreach (var operation in batch.Operations)
        {
            switch (operation)
            {
                case WriteFileOperation write:
                    PlanWrite(write);
                    break;
                case DeleteOperation delete:
                    PlanDelete(delete);
                    break;
                case DeleteGlobOperation glob:
                    PlanDeleteGlob(glob);
                    break;
                case DeleteTreeOperation tree:
                    PlanDeleteTree(tree);
                    break;
                case MkdirPOperation mkdir:
                    PlanMkdirP(mkdir);
                    break;
                case SymlinkOperation symlink:
                    PlanSymlink(symlink);
                    break;
                case ChmodOperation chmod:
                    PlanChmod(chmod);
                    break;
                case ChownOperation chown:
                    PlanChown(chown);
                    break;
                case TruncateOperation truncate:
                    PlanTruncate(truncate);
                    break;
                default:
                    throw new InvalidOperationException($"unknown edit operation {operation.Kind}");
            }
        }

        return _steps;
    }

    private void PlanWrite(WriteFileOperation op)
    {
        var parent = ExistingDirectory(GuestPath.Parent(op.Path), op.Path);
        var path = GuestPath.Combine(parent, GuestPath.Name(op.Path));
        var node = view.Lookup(path);
        string? detail = null;
        var replaceLink = false;
        if (node is { Kind: GuestFileKind.Symlink })
        {
            var followed = view.Resolve(path, followFinal: true);
            if (followed.Failure == ApplianceResolveFailure.None)
            {
                path = followed.Path;
                node = followed.Node;
            }
            else
            {
                // Dangling into a missing directory: the link itself becomes the file.
                replaceLink = true;
                detail = "replaced a dangling symlink";
                node = null;
            }
        }

        if (node is { Kind: GuestFileKind.Directory })
        {
            throw ImprintException.Conflict($"cannot write '{op.Path}': '{path}' is a directory");
        }

        if (node is { Kind: GuestFileKind.Other })
        {
            throw ImprintException.Conflict($"cannot write '{op.Path}': '{path}' is a device, FIFO or socket");
        }

        var mode = op.Mode ?? node?.Mode ?? GuestEditBatch.DefaultFileMode;
        var uid = op.Uid ?? node?.Uid ?? 0;
        var gid = op.Gid ?? node?.Gid ?? 0;
        var target = path;
        if (node is not null && mode == node.Mode && uid == node.Uid && gid == node.Gid && SameContent(target, node, op.Content))
        {
            Add(new GuestChange(GuestEditOperationKind.WriteFile, target, GuestChangeAction.Unchanged));
            return;
        }

        var isNew = node is null;
        var old = node;

        // A replaced dangling link is an overwrite of an existing entry (as on the e2fsprogs engine), written as a new file.
        Add(
            new GuestChange(GuestEditOperationKind.WriteFile, target, isNew && !replaceLink ? GuestChangeAction.Created : GuestChangeAction.Overwritten, detail),
            session =>
            {
                if (replaceLink)
                {
                    session.Remove(target);
                }

                WriteContent(session, target, op.Content);
                if (isNew || mode != old!.Mode)
                {
                    session.Chmod(target, mode);
                }

                if ((isNew && (uid != 0 || gid != 0)) || (!isNew && (uid != old!.Uid || gid != old.Gid)))
                {
                    session.Lchown(target, uid, gid);
                }
            });
        view.Set(target, new ApplianceNode(GuestFileKind.File, mode, uid, gid, op.Content.Length, null, node?.Inode ?? 0, Live: node is not null) { NewContent = op.Content });
    }

    private void PlanDelete(DeleteOperation op)
    {
        var resolved = view.Resolve(op.Path, followFinal: false);
        if (resolved.Failure != ApplianceResolveFailure.None || resolved.Node is null)
        {
            Add(new GuestChange(GuestEditOperationKind.Delete, op.Path, GuestChangeAction.Missing));
            return;
        }

        if (resolved.Node.Kind == GuestFileKind.Directory)
        {
            throw ImprintException.Conflict($"cannot delete '{op.Path}': it is a directory");
        }

        var path = resolved.Path;
        Add(new GuestChange(GuestEditOperationKind.Delete, path, GuestChangeAction.Deleted), session => session.Remove(path));
        view.Set(path, null);
    }

    private void PlanDeleteGlob(DeleteGlobOperation op)
    {
        var matches = view.Glob(op.Pattern);
        var deleted = new List<string>();
        foreach (var match in matches)
        {
            if (deleted.Any(d => GuestPath.IsUnder(match, d)))
            {
                continue;
            }

            var resolved = view.Resolve(match, followFinal: false);
            if (resolved.Node is null)
            {
                continue;
            }

            deleted.Add(match);
            PlanRemoval(GuestEditOperationKind.DeleteGlob, resolved.Path, resolved.Node);
        }

        if (deleted.Count == 0)
        {
            Add(new GuestChange(GuestEditOperationKind.DeleteGlob, op.Pattern, GuestChangeAction.Missing));
        }
    }

    private void PlanDeleteTree(DeleteTreeOperation op)
    {
        var resolved = view.Resolve(op.Path, followFinal: op.KeepDirectory);
        var kind = op.KeepDirectory ? GuestEditOperationKind.EmptyDirectory : GuestEditOperationKind.DeleteTree;
        if (resolved.Failure != ApplianceResolveFailure.None || resolved.Node is null)
        {
            Add(new GuestChange(kind, op.Path, GuestChangeAction.Missing));
            return;
        }

        if (!op.KeepDirectory)
        {
            PlanRemoval(kind, resolved.Path, resolved.Node);
            return;
        }

        if (resolved.Node.Kind != GuestFileKind.Directory)
        {
            throw ImprintException.Conflict($"cannot empty '{op.Path}': it is not a directory");
        }

        var children = view.Children(resolved.Path);
        if (children.Count == 0)
        {
            Add(new GuestChange(kind, resolved.Path, GuestChangeAction.Unchanged));
            return;
        }

        foreach (var name in children)
        {
            var child = GuestPath.Combine(resolved.Path, name);
            PlanRemoval(kind, child, view.Lookup(child)!);
        }
    }

    /// <summary>Removes a file, symlink or whole directory tree; a tree reports how many entries went.</summary>
    private void PlanRemoval(GuestEditOperationKind kind, string path, ApplianceNode node)
    {
        if (node.Kind != GuestFileKind.Directory)
        {
            Add(new GuestChange(kind, path, GuestChangeAction.Deleted), session => session.Remove(path));
        }
        else
        {
            var entries = 1 + CountBelow(path);
            Add(new GuestChange(kind, path, GuestChangeAction.Deleted, entries > 1 ? $"{entries.ToString(CultureInfo.InvariantCulture)} entries" : null), session => session.RemoveTree(path));
        }

        view.Set(path, null);
    }

    private int CountBelow(string directory)
    {
        var count = 0;
        foreach (var name in view.Children(directory))
        {
            var child = GuestPath.Combine(directory, name);
            count++;
            if (view.Lookup(child) is { Kind: GuestFileKind.Directory })
            {
                count += CountBelow(child);
            }
        }

        return count;
    }

    private void PlanMkdirP(MkdirPOperation op)
    {
        var components = op.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = GuestPath.Root;
        var created = false;
        for (var i = 0; i < components.Length; i++)
        {
            var isLast = i == components.Length - 1;
            var candidate = GuestPath.Combine(current, components[i]);
            var resolved = view.Resolve(candidate, followFinal: true);
            if (resolved is { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.Directory })
            {
                current = resolved.Path;
                continue;
            }

            if (resolved.Failure != ApplianceResolveFailure.None || resolved.Node is not null)
            {
                throw ImprintException.Conflict($"cannot create directory '{op.Path}': '{candidate}' exists and is not a directory");
            }

            var path = resolved.Path;
            var mode = isLast ? op.Mode : GuestEditBatch.DefaultDirectoryMode;
            var uid = isLast ? op.Uid : 0u;
            var gid = isLast ? op.Gid : 0u;
            Add(new GuestChange(GuestEditOperationKind.MkdirP, path, GuestChangeAction.Created), session =>
            {
                session.Mkdir(path, mode);
                session.Chmod(path, mode); // mkdir is subject to the appliance's umask and drops setgid/sticky.
                if (uid != 0 || gid != 0)
                {
                    session.Lchown(path, uid, gid);
                }
            });
            view.Set(path, new ApplianceNode(GuestFileKind.Directory, mode, uid, gid, 0, null, 0, Live: false));
            current = path;
            created = true;
        }

        if (!created)
        {
            Add(new GuestChange(GuestEditOperationKind.MkdirP, op.Path, GuestChangeAction.Unchanged));
        }
    }

    private void PlanSymlink(SymlinkOperation op)
    {
        var parent = ExistingDirectory(GuestPath.Parent(op.Path), op.Path);
        var path = GuestPath.Combine(parent, GuestPath.Name(op.Path));
        var node = view.Lookup(path);
        var detail = $"-> {op.Target}";
        if (node is { Kind: GuestFileKind.Directory })
        {
            throw ImprintException.Conflict($"cannot create symlink '{op.Path}': it is a directory");
        }

        if (node is { Kind: GuestFileKind.Symlink } && node.LinkTarget == op.Target)
        {
            Add(new GuestChange(GuestEditOperationKind.Symlink, path, GuestChangeAction.Unchanged, detail));
            return;
        }

        var replaces = node is not null;
        Add(new GuestChange(GuestEditOperationKind.Symlink, path, replaces ? GuestChangeAction.Overwritten : GuestChangeAction.Created, detail), session =>
        {
            if (replaces)
            {
                session.Remove(path);
            }

            session.Symlink(op.Target, path);
        });
        view.Set(path, new ApplianceNode(GuestFileKind.Symlink, 0b111_111_111, 0, 0, op.Target.Length, op.Target, 0, Live: false));
    }

    private void PlanChmod(ChmodOperation op)
    {
        var (path, node) = Existing(op.Path, "chmod");
        var detail = Convert.ToString(op.Mode, 8).PadLeft(4, '0');
        if (node.Mode == op.Mode)
        {
            Add(new GuestChange(GuestEditOperationKind.Chmod, path, GuestChangeAction.Unchanged, detail));
            return;
        }

        Add(new GuestChange(GuestEditOperationKind.Chmod, path, GuestChangeAction.Modified, detail), session => session.Chmod(path, op.Mode));
        view.Set(path, node with { Mode = op.Mode });
    }

    private void PlanChown(ChownOperation op)
    {
        var (path, node) = Existing(op.Path, "chown");
        var uid = op.Uid ?? node.Uid;
        var gid = op.Gid ?? node.Gid;
        var detail = $"{uid.ToString(CultureInfo.InvariantCulture)}:{gid.ToString(CultureInfo.InvariantCulture)}";
        if (node.Uid == uid && node.Gid == gid)
        {
            Add(new GuestChange(GuestEditOperationKind.Chown, path, GuestChangeAction.Unchanged, detail));
            return;
        }

        Add(new GuestChange(GuestEditOperationKind.Chown, path, GuestChangeAction.Modified, detail), session => session.Lchown(path, uid, gid));
        view.Set(path, node with { Uid = uid, Gid = gid });
    }

    private void PlanTruncate(TruncateOperation op)
    {
        var (path, node) = Existing(op.Path, "truncate");
        if (node.Kind != GuestFileKind.File)
        {
            throw ImprintException.Conflict($"cannot truncate '{op.Path}': it is not a regular file");
        }

        if (node.Size == 0)
        {
            Add(new GuestChange(GuestEditOperationKind.Truncate, path, GuestChangeAction.Unchanged));
            return;
        }

        Add(new GuestChange(GuestEditOperationKind.Truncate, path, GuestChangeAction.Truncated), session => session.Truncate(path));
        view.Set(path, node with { Size = 0, NewContent = GuestFileContent.Empty });
    }

    /// <summary>The canonical path and node of an existing path, a final symlink followed; exit 3 when missing.</summary>
    private (string Path, ApplianceNode Node) Existing(string path, string what)
    {
        var resolved = view.Resolve(path, followFinal: true);
        if (resolved.Failure != ApplianceResolveFailure.None || resolved.Node is null)
        {
            throw ImprintException.NotFound($"cannot {what} '{path}': it does not exist in the guest");
        }

        return (resolved.Path, resolved.Node);
    }

    /// <summary>The canonical path of an existing directory; exit 3 when missing, 6 when something else is there.</summary>
    private string ExistingDirectory(string directory, string forPath)
    {
        var resolved = view.Resolve(directory, followFinal: true);
        if (resolved.Failure == ApplianceResolveFailure.NotADirectory || resolved.Node is { Kind: not GuestFileKind.Directory })
        {
            throw ImprintException.Conflict($"cannot write '{forPath}': '{resolved.Path}' is not a directory");
        }

        if (resolved.Failure != ApplianceResolveFailure.None || resolved.Node is null)
        {
            throw ImprintException.NotFound($"cannot write '{forPath}': directory '{directory}' does not exist in the guest");
        }

        return resolved.Path;
    }

    private bool SameContent(string path, ApplianceNode node, GuestFileContent content)
    {
        if (node.Kind != GuestFileKind.File || node.Size != content.Length)
        {
            return false;
        }

        if (node.NewContent is { } planned)
        {
            return planned.SameBytes(content);
        }

        if (content.Length <= InlineWriteLimit)
        {
            return GuestFileContent.Of(view.Session.ReadFile(path)).SameBytes(content);
        }

        using var stream = content.Open();
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == view.Session.Sha256(path);
    }

    private static void WriteContent(ApplianceSession session, string path, GuestFileContent content)
    {
        if (content.Bytes is { Length: <= InlineWriteLimit } bytes)
        {
            session.Write(path, bytes);
            return;
        }

        if (content.HostFile is { } hostFile)
        {
            session.Upload(hostFile, path);
            return;
        }

        // Large in-memory content: through a private scratch file, removed right after.
        var scratch = Path.Combine(Path.GetTempPath(), $"imprint-upload-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(scratch, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                file.Write(content.Bytes);
            }

            session.Upload(scratch, path);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private void Add(GuestChange change, Action<ApplianceSession>? apply = null) => _steps.Add(new ApplianceStep(change, apply));
}
