using Imprint.Agent.Diagnostics;
using Imprint.Agent.Guest;
using Imprint.Agent.Results;

namespace Imprint.Agent.Sealing;

/// <summary>
/// Seals a guest: every selected operation plans its edits from a read-only view, the whole plan is checked, then
/// it is applied as one edit batch (one debugfs session on the e2fsprogs engine). A dry run stops after planning and
/// reports what would change; on an SELinux guest a seal that changed anything also asks for a relabel at the next boot
/// (<see cref="SelinuxRelabel"/>). Runs on any <see cref="IGuestFileSystem"/> engine.
/// </summary>
public static class Sealer
{
    public static async Task<SealResult> SealAsync(IGuestFileSystem guest, IReadOnlyList<ISealOperation> operations, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        var globSpan = AgentTrace.Start("seal.globs");
        var reader = guest;

        // Expand every glob at once; the operations' own lookups are then answered from memory.
        var patterns = operations.OfType<DeleteMatchingOperation>().SelectMany(o => o.Patterns)
            .Append("/etc/sysconfig/network-scripts/ifcfg-*");
        await reader.PrefetchGlobsAsync(patterns, cancellationToken).ConfigureAwait(false);
        var selinux = SelinuxRelabel.ModeOf(await reader.TryReadTextAsync(SelinuxRelabel.ConfigPath, cancellationToken).ConfigureAwait(false));
        globSpan.Dispose();
        var planSpan = AgentTrace.Start("seal.operations");
        var edits = new List<GuestEdit>();
        foreach (var operation in operations)
        {
            edits.AddRange(await operation.PlanAsync(reader, cancellationToken).ConfigureAwait(false));
        }

        var batch = new GuestEditBatch();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            // Two operations may name the same path (e.g. logfiles and cloud-init); the first one owns the edit.
            if (!owners.TryAdd(edit.Path, edit.Operation))
            {
                continue;
            }

            await AddAsync(batch, reader, edit, cancellationToken).ConfigureAwait(false);
        }

        planSpan.Dispose();
        using var applySpan = AgentTrace.Start("seal.apply");
        var changes = dryRun
            ? await guest.PlanAsync(batch, cancellationToken).ConfigureAwait(false)
            : await guest.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
        var reports = changes
            .Where(c => c.IsChange)
            .Select(c => new ChangeReport(OwnerOf(owners, c.Path), c.Path, c.Action.ToString().ToLowerInvariant()))
            .ToList();

        // The e2fsprogs engine rewrites files as new, unlabeled inodes: an SELinux guest must relabel (as virt-sysprep does).
        reports.AddRange(await SelinuxRelabel.RequestAfterChangesAsync(guest, selinux, reports.Count > 0, dryRun, cancellationToken).ConfigureAwait(false));
        return new SealResult(operations.Select(o => o.Name).ToList(), reports, dryRun);
    }

    private static async Task AddAsync(GuestEditBatch batch, IGuestReader reader, GuestEdit edit, CancellationToken cancellationToken)
    {
        switch (edit.Kind)
        {
            case GuestEditKind.Delete:
                var stat = await reader.StatAsync(edit.Path, cancellationToken).ConfigureAwait(false);
                if (stat is { Kind: GuestFileKind.Directory })
                {
                    batch.DeleteTree(edit.Path);
                }
                else
                {
                    batch.Delete(edit.Path);
                }

                break;
            case GuestEditKind.Truncate:
                batch.Truncate(edit.Path);
                break;
            case GuestEditKind.Rewrite:
                batch.WriteText(edit.Path, edit.NewContent ?? string.Empty);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(edit), edit.Kind, "unknown edit kind");
        }
    }

    // Changes inside a deleted tree are reported under the tree's operation.
    private static string OwnerOf(Dictionary<string, string> owners, string path)
    {
        for (var current = path; current.Length > 1; current = Path.GetDirectoryName(current) ?? "/")
        {
            if (owners.TryGetValue(current, out var owner))
            {
                return owner;
            }
        }

        return "seal";
    }
}
