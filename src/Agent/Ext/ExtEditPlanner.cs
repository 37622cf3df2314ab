using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>
/// Turns an <see cref="GuestEditBatch"/> into debugfs commands without writing anything: every operation is checked
/// against the guest as the earlier operations leave it (<see cref="GuestView"/>), so a batch that cannot be applied
/// fails here, before <c>debugfs -w</c> runs. Reads go through a few read-only debugfs sessions: one prefetch, one per
/// directory level the batch needs beyond that, one for old contents and xattrs of overwritten files.
/// </summary>
internal sealed partial class ExtEditPlanner(GuestTree tree, string imagePath, long offset, ScratchFiles scratch)
{
    private const int MaxRounds = 4096;

    private readonly GuestView _view = new(tree);
    private readonly List<PlannedStep> _steps = [];
    private readonly string _now = "@" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private int _hostFiles;

    public async Task<IReadOnlyList<PlannedStep>> PlanAsync(GuestEditBatch batch, CancellationToken cancellationToken)
    {
        var prefetch = new GuestTreeNeeds();
        foreach (var operation in batch.Operations)
        {
            AddPrefixes(operation, prefetch.PrefetchPaths);
        }

        await tree.FetchAsync(prefetch, withFeatures: true, scratch, cancellationToken).ConfigureAwait(false);
        if (tree.Features?.Contains("needs_recovery") == true)
        {
            throw ImprintException.Conflict(
                $"the ext filesystem at offset {offset} of '{imagePath}' has a journal that needs recovery; replay it first (repair or grow the filesystem, which does that)");
        }

        foreach (var operation in batch.Operations)
        {
            List<PlannedStep> steps;
            List<(string Path, GuestNode? Node)> effects;
            var rounds = 0;
            while (true)
            {
                var needs = new GuestTreeNeeds();
                steps = [];
                effects = [];
                PlanOne(operation, needs, steps, effects);
                if (!needs.Any)
                {
                    break;
                }

                if (++rounds > MaxRounds)
                {
                    throw ImprintException.InvalidImage($"resolving '{operation.Path}' does not converge; the filesystem may be corrupt");
                }

                await tree.FetchAsync(needs, withFeatures: false, scratch, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (path, node) in effects)
            {
                if (node is null)
                {
                    _view.Remove(path);
                }
                else
                {
                    _view.Set(path, node);
                }
            }

            _steps.AddRange(steps);
        }

        await FinishWritesAsync(cancellationToken).ConfigureAwait(false);
        return _steps;
    }

    private static void AddPrefixes(GuestEditOperation operation, HashSet<string> into)
    {
        var components = GuestPath.Components(operation.Path, allowDotDot: false);
        var upTo = components.TakeWhile(c => !GuestGlob.HasWildcards(c)).Count();
        for (var i = 1; i <= upTo; i++)
        {
            into.Add(GuestPath.Join(components.Take(i)));
        }
    }

    private static string Octal(int value) => "0" + Convert.ToString(value, 8);

    private static GuestChange Change(GuestEditOperation operation, string path, GuestChangeAction action, string? detail = null) =>
        new(operation.Kind, path, action, detail);

    private void PlanOne(GuestEditOperation operation, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        switch (operation)
        {
            case WriteFileOperation write:
                PlanWrite(write, needs, steps, effects);
                break;
            case DeleteOperation delete:
                PlanDelete(delete, delete.Path, allowDirectory: false, keepDirectory: false, needs, steps, effects);
                break;
            case DeleteTreeOperation tree:
                PlanDelete(tree, tree.Path, allowDirectory: true, tree.KeepDirectory, needs, steps, effects);
                break;
            case DeleteGlobOperation glob:
                PlanDeleteGlob(glob, needs, steps, effects);
                break;
            case MkdirPOperation mkdir:
                PlanMkdir(mkdir, needs, steps, effects);
                break;
            case SymlinkOperation symlink:
                PlanSymlink(symlink, needs, steps, effects);
                break;
            case ChmodOperation or ChownOperation or TruncateOperation:
                PlanAttributes(operation, needs, steps, effects);
                break;
            default:
                throw new InvalidOperationException($"unknown edit operation {operation.GetType().Name}");
        }
    }

    /// <summary>Resolves a path whose parent must exist (as a directory, after the earlier operations).</summary>
    private GuestResolution? ResolveWithParent(GuestEditOperation operation, string path, bool followFinal, GuestTreeNeeds needs)
    {
        var resolved = _view.Resolve(path, followFinal, needs);
        if (resolved is null)
        {
            return null;
        }

        if (resolved.Parent is null)
        {
            throw ImprintException.NotFound(
                $"{operation.Kind} '{path}': parent directory '{GuestPath.Parent(path)}' does not exist in the guest (resolved as '{resolved.ParentPath}'); add MkdirP first");
        }

        return resolved;
    }

    private void PlanWrite(WriteFileOperation write, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        var resolved = ResolveWithParent(write, write.Path, followFinal: false, needs);
        if (resolved is null)
        {
            return;
        }

        string? detail = null;
        if (resolved.Node is { Kind: GuestFileKind.Symlink })
        {
            // A final symlink is followed like a shell redirection would; a dangling one whose target directory is
            // missing too (e.g. /etc/resolv.conf -> ../run/...) is replaced by the file instead.
            var followed = _view.Resolve(write.Path, followFinal: true, needs);
            if (followed is null)
            {
                return;
            }

            if (followed.Parent is not null)
            {
                resolved = followed;
            }
            else
            {
                detail = "replaced a dangling symlink";
            }
        }

        var existing = resolved.Node;
        if (existing is { Kind: GuestFileKind.Directory })
        {
            throw ImprintException.Conflict($"WriteFile '{write.Path}': '{resolved.Path}' is a directory in the guest");
        }

        var keep = existing is { Kind: GuestFileKind.File };
        var mode = write.Mode ?? (keep ? existing!.Mode : GuestEditBatch.DefaultFileMode);
        var uid = write.Uid ?? (keep ? existing!.Uid : 0);
        var gid = write.Gid ?? (keep ? existing!.Gid : 0);
        var xattrSource = !keep ? 0 : existing!.IsReal ? existing.Inode : existing.XattrSource;
        var intent = new WriteIntent(resolved.Path, existing, write.Content, mode, uid, gid, xattrSource);
        var action = existing is null ? GuestChangeAction.Created : GuestChangeAction.Overwritten;
        steps.Add(new PlannedStep(Change(write, resolved.Path, action, detail)) { Write = intent });
        effects.Add((resolved.Path, new GuestNode(0, GuestNode.RegularType | mode, uid, gid, write.Content.Length)
        {
            NewContent = write.Content,
            XattrSource = xattrSource,
        }));
    }

    private void PlanDelete(GuestEditOperation operation, string path, bool allowDirectory, bool keepDirectory, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        // EmptyDirectory follows a final symlink to the directory it empties; the others delete the link itself.
        var resolved = _view.Resolve(path, followFinal: keepDirectory, needs);
        if (resolved is null)
        {
            return;
        }

        if (resolved.Node is not { } node)
        {
            steps.Add(new PlannedStep(Change(operation, path, GuestChangeAction.Missing)));
            return;
        }

        if (node.Kind == GuestFileKind.Directory && !allowDirectory)
        {
            throw ImprintException.Conflict($"{operation.Kind} '{path}': '{resolved.Path}' is a directory; use DeleteTree or EmptyDirectory");
        }

        if (keepDirectory)
        {
            if (node.Kind != GuestFileKind.Directory)
            {
                throw ImprintException.Conflict($"EmptyDirectory '{path}': '{resolved.Path}' is not a directory");
            }

            var children = _view.Children(resolved.Path, node, needs);
            foreach (var (name, child) in children ?? [])
            {
                var childPath = GuestPath.Combine(resolved.Path, name);
                var step = new PlannedStep(Change(operation, childPath, GuestChangeAction.Deleted));
                var count = AddRemoveCommands(childPath, child, step.Commands, needs);
                step.Change = step.Change with { Detail = count > 1 ? $"{count} entries" : null };
                steps.Add(step);
                effects.Add((childPath, null));
            }

            if ((children?.Count ?? 0) == 0)
            {
                steps.Add(new PlannedStep(Change(operation, resolved.Path, GuestChangeAction.Unchanged, "already empty")));
            }

            return;
        }

        var single = new PlannedStep(Change(operation, resolved.Path, GuestChangeAction.Deleted));
        var removed = AddRemoveCommands(resolved.Path, node, single.Commands, needs);
        single.Change = single.Change with { Detail = removed > 1 ? $"{removed} entries" : null };
        steps.Add(single);
        effects.Add((resolved.Path, null));
    }

    /// <summary>Appends commands removing <paramref name="path"/> (depth first for directories); returns how many entries go.</summary>
    private int AddRemoveCommands(string path, GuestNode node, List<string> commands, GuestTreeNeeds needs)
    {
        if (node.Kind != GuestFileKind.Directory)
        {
            commands.Add($"rm {GuestPath.Quote(path)}");
            return 1;
        }

        var count = 1;
        foreach (var (name, child) in _view.Children(path, node, needs) ?? [])
        {
            count += AddRemoveCommands(GuestPath.Combine(path, name), child, commands, needs);
        }

        commands.Add($"rmdir {GuestPath.Quote(path)}");
        return count;
    }

    private void PlanDeleteGlob(DeleteGlobOperation glob, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        var matches = _view.Glob(glob.Pattern, needs);
        if (matches is null)
        {
            return;
        }

        var deleted = new List<string>();
        foreach (var match in matches)
        {
            if (deleted.Any(d => GuestPath.IsUnder(match, d)))
            {
                continue;
            }

            var resolved = _view.Resolve(match, followFinal: false, needs);
            if (resolved?.Node is not { } node)
            {
                continue;
            }

            var step = new PlannedStep(Change(glob, resolved.Path, GuestChangeAction.Deleted));
            var count = AddRemoveCommands(resolved.Path, node, step.Commands, needs);
            step.Change = step.Change with { Detail = count > 1 ? $"{count} entries" : null };
            steps.Add(step);
            effects.Add((resolved.Path, null));
            deleted.Add(resolved.Path);
        }

        if (deleted.Count == 0)
        {
            steps.Add(new PlannedStep(Change(glob, glob.Pattern, GuestChangeAction.Missing, "no match")));
        }
    }

    private void PlanMkdir(MkdirPOperation mkdir, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        var components = GuestPath.Components(mkdir.Path, allowDotDot: false);
        for (var i = 1; i <= components.Length; i++)
        {
            var prefix = GuestPath.Join(components.Take(i));
            var resolved = _view.Resolve(prefix, followFinal: true, needs);
            if (resolved is null)
            {
                return;
            }

            if (resolved.Node is { Kind: GuestFileKind.Directory })
            {
                continue;
            }

            if (resolved.Node is not null || resolved.Parent is null)
            {
                throw ImprintException.Conflict($"MkdirP '{mkdir.Path}': '{prefix}' exists in the guest and is not a directory (or a dangling symlink)");
            }

            // Everything below the first missing component is missing too and lives under a canonical new path.
            var path = resolved.Path;
            foreach (var name in components.Skip(i).Prepend(null))
            {
                path = name is null ? path : GuestPath.Combine(path, name);
                // Like mkdir -p -m: missing parents get 0755 root:root, the final directory the requested mode/owner.
                var isFinal = path == mkdir.Path;
                var (mode, uid, gid) = isFinal ? (mkdir.Mode, mkdir.Uid, mkdir.Gid) : (GuestEditBatch.DefaultDirectoryMode, 0u, 0u);
                var step = new PlannedStep(Change(mkdir, path, GuestChangeAction.Created));
                step.Commands.Add($"mkdir {GuestPath.Quote(path)}");
                AddSetMode(step.Commands, path, GuestNode.DirectoryType | mode);
                AddSetOwner(step.Commands, path, uid, gid);
                steps.Add(step);
                effects.Add((path, new GuestNode(0, GuestNode.DirectoryType | mode, uid, gid, 0)));
            }

            return;
        }

        steps.Add(new PlannedStep(Change(mkdir, mkdir.Path, GuestChangeAction.Unchanged, "directory exists")));
    }

    private void PlanSymlink(SymlinkOperation symlink, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        var resolved = ResolveWithParent(symlink, symlink.Path, followFinal: false, needs);
        if (resolved is null)
        {
            return;
        }

        var existing = resolved.Node;
        if (existing is { Kind: GuestFileKind.Directory })
        {
            throw ImprintException.Conflict($"Symlink '{symlink.Path}': a directory is in the way; DeleteTree it first");
        }

        if (existing is { Kind: GuestFileKind.Symlink })
        {
            var current = _view.LinkTarget(existing, needs, out var known);
            if (!known)
            {
                return;
            }

            if (current == symlink.Target)
            {
                steps.Add(new PlannedStep(Change(symlink, resolved.Path, GuestChangeAction.Unchanged)));
                return;
            }
        }

        var step = new PlannedStep(Change(symlink, resolved.Path, existing is null ? GuestChangeAction.Created : GuestChangeAction.Overwritten, $"-> {symlink.Target}"));
        if (existing is not null)
        {
            step.Commands.Add($"rm {GuestPath.Quote(resolved.Path)}");
        }

        step.Commands.Add($"symlink {GuestPath.Quote(resolved.Path)} {GuestPath.Quote(symlink.Target)}");
        steps.Add(step);
        effects.Add((resolved.Path, new GuestNode(0, GuestNode.SymlinkType | 0b111_111_111, 0, 0, symlink.Target.Length) { NewLinkTarget = symlink.Target }));
    }

    private void PlanAttributes(GuestEditOperation operation, GuestTreeNeeds needs, List<PlannedStep> steps, List<(string, GuestNode?)> effects)
    {
        var resolved = _view.Resolve(operation.Path, followFinal: true, needs);
        if (resolved is null)
        {
            return;
        }

        if (resolved.Node is not { } node)
        {
            throw ImprintException.NotFound($"{operation.Kind} '{operation.Path}': no such file in the guest");
        }

        var quoted = GuestPath.Quote(resolved.Path);
        var step = new PlannedStep(Change(operation, resolved.Path, GuestChangeAction.Modified));
        GuestNode updated;
        switch (operation)
        {
            case ChmodOperation chmod:
                updated = node with { TypeAndMode = (node.TypeAndMode & GuestNode.TypeMask) | chmod.Mode };
                step.Change = step.Change with { Detail = Octal(chmod.Mode) };
                AddSetMode(step.Commands, resolved.Path, updated.TypeAndMode);
                break;
            case ChownOperation chown:
                updated = node with { Uid = chown.Uid ?? node.Uid, Gid = chown.Gid ?? node.Gid };
                step.Change = step.Change with { Detail = $"{updated.Uid}:{updated.Gid}" };
                AddSetOwner(step.Commands, resolved.Path, updated.Uid, updated.Gid);
                break;
            default:
                if (node.Kind != GuestFileKind.File)
                {
                    throw ImprintException.Conflict($"Truncate '{operation.Path}': '{resolved.Path}' is not a regular file");
                }

                updated = node with { Size = 0, NewContent = node.IsReal ? null : GuestFileContent.Empty };
                step.Change = step.Change with { Action = GuestChangeAction.Truncated };
                step.Commands.Add($"punch {quoted} 0");
                step.Commands.Add($"sif {quoted} size 0");
                step.Commands.Add($"sif {quoted} mtime {_now}");
                break;
        }

        if (updated == node && node.Size == updated.Size)
        {
            steps.Add(new PlannedStep(Change(operation, resolved.Path, GuestChangeAction.Unchanged)));
            return;
        }

        step.Commands.Add($"sif {quoted} ctime {_now}");
        steps.Add(step);
        effects.Add((resolved.Path, updated));
    }

    private static void AddSetMode(List<string> commands, string path, int typeAndMode) =>
        commands.Add($"sif {GuestPath.Quote(path)} mode {Octal(typeAndMode)}");

    private static void AddSetOwner(List<string> commands, string path, uint uid, uint gid)
    {
        commands.Add($"sif {GuestPath.Quote(path)} uid {uid.ToString(CultureInfo.InvariantCulture)}");
        commands.Add($"sif {GuestPath.Quote(path)} gid {gid.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Decides each write (identical → unchanged) and emits its commands, carrying extended attributes over.</summary>
    private async Task FinishWritesAsync(CancellationToken cancellationToken)
    {
        var writes = _steps.Where(s => s.Write is not null).ToList();
        if (writes.Count == 0)
        {
            return;
        }

        // Round 1: old contents of same-size on-disk files (to detect no-ops) and xattr names of replaced inodes.
        var commands = new List<string>();
        var dumps = new Dictionary<uint, string>();
        foreach (var w in writes.Select(s => s.Write!))
        {
            if (w.Existing is { IsReal: true, Kind: GuestFileKind.File } old && old.Size == w.Content.Length && !dumps.ContainsKey(old.Inode))
            {
                dumps[old.Inode] = scratch.File($"old-{old.Inode}");
                commands.Add($"dump <{old.Inode}> {GuestPath.Quote(dumps[old.Inode])}");
            }
        }

        var sources = writes.Select(s => s.Write!.XattrSource).Where(x => x != 0).Distinct().ToList();
        commands.AddRange(sources.Select(x => $"ea_list <{x}>"));
        var replies = await tree.ReadAsync(commands, cancellationToken).ConfigureAwait(false);
        var xattrNames = new Dictionary<uint, List<string>>();
        foreach (var reply in replies.Where(r => r.Command.StartsWith("ea_list ", StringComparison.Ordinal)))
        {
            var inode = uint.Parse(reply.Command["ea_list <".Length..^1], CultureInfo.InvariantCulture);
            xattrNames[inode] = reply.Output.Split('\n')
                .Select(l => XattrLine().Match(l))
                .Where(m => m.Success && m.Groups["name"].Value != "system.data")
                .Select(m => m.Groups["name"].Value)
                .ToList();
        }

        var changed = new List<PlannedStep>();
        foreach (var step in writes)
        {
            var w = step.Write!;
            if (IsIdentical(w, dumps))
            {
                step.Change = step.Change with { Action = GuestChangeAction.Unchanged };
            }
            else
            {
                changed.Add(step);
            }
        }

        // Round 2: values of the xattrs the rewritten files must keep (binary-safe through host files).
        var xattrFiles = new Dictionary<(uint, string), string>();
        var getCommands = new List<string>();
        foreach (var source in changed.Select(s => s.Write!.XattrSource).Where(x => x != 0).Distinct())
        {
            foreach (var name in xattrNames.GetValueOrDefault(source) ?? [])
            {
                var file = scratch.File($"xattr-{source}-{xattrFiles.Count}");
                xattrFiles[(source, name)] = file;
                getCommands.Add($"ea_get -f {GuestPath.Quote(file)} <{source}> {GuestPath.Quote(name)}");
            }
        }

        foreach (var reply in await tree.ReadAsync(getCommands, cancellationToken).ConfigureAwait(false))
        {
            if (reply.Failed)
            {
                throw new ImprintException(ExitCode.ToolFailed, $"debugfs cannot read an extended attribute to carry over ('{reply.Command}'): {reply.Error}");
            }
        }

        foreach (var step in changed)
        {
            var w = step.Write!;
            var hostFile = await w.Content.HostPathAsync(() => scratch.File($"content-{_hostFiles++}"), cancellationToken).ConfigureAwait(false);
            var quoted = GuestPath.Quote(w.Path);
            if (w.Existing is not null)
            {
                step.Commands.Add($"rm {quoted}");
            }

            step.Commands.Add($"write {GuestPath.Quote(hostFile)} {quoted}");
            AddSetMode(step.Commands, w.Path, GuestNode.RegularType | w.Mode);
            AddSetOwner(step.Commands, w.Path, w.Uid, w.Gid);
            foreach (var name in xattrNames.GetValueOrDefault(w.XattrSource) ?? [])
            {
                step.Commands.Add($"ea_set -f {GuestPath.Quote(xattrFiles[(w.XattrSource, name)])} {quoted} {GuestPath.Quote(name)}");
            }
        }
    }

    private static bool IsIdentical(WriteIntent w, Dictionary<uint, string> dumps)
    {
        if (w.Existing is not { Kind: GuestFileKind.File } old || old.Mode != w.Mode || old.Uid != w.Uid || old.Gid != w.Gid)
        {
            return false;
        }

        if (!old.IsReal)
        {
            return old.NewContent is { } planned ? planned.SameBytes(w.Content) : old.Size == 0 && w.Content.Length == 0;
        }

        return old.Size == w.Content.Length && dumps.TryGetValue(old.Inode, out var file) && File.Exists(file) &&
               GuestFileContent.FromHostFile(file).SameBytes(w.Content);
    }

    // debugfs "ea_list": "  name (length) = value".
    [GeneratedRegex(@"^  (?<name>\S+) \((?<length>\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex XattrLine();
}
