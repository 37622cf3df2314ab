using System.Text.RegularExpressions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Guest;

/// <summary>
/// SELinux guests label every file (<c>security.selinux</c>); a file an offline edit creates has no label, which an
/// enforcing guest denies access to. As virt-customize does without a policy at hand, an empty <c>/.autorelabel</c>
/// asks the guest to relabel its filesystems at the next boot (and reboot once). Overwritten files keep their label
/// only on the appliance engine; the e2fsprogs engine rewrites a file as a new inode, so seal and customize both ask.
/// </summary>
public static partial class SelinuxRelabel
{
    public const string ConfigPath = "/etc/selinux/config";

    public const string AutorelabelPath = "/.autorelabel";

    /// <summary>The operation name changes report for the flag file.</summary>
    public const string Operation = "selinux-relabel";

    /// <summary>The last <c>SELINUX=</c> value of /etc/selinux/config, lower-cased; null when the file or the line is missing.</summary>
    public static string? ModeOf(string? config)
    {
        string? mode = null;
        foreach (var line in (config ?? string.Empty).Split('\n'))
        {
            var match = ModeLine().Match(line);
            if (match.Success)
            {
                mode = match.Groups["mode"].Value.ToLowerInvariant();
            }
        }

        return mode;
    }

    /// <summary>True when the guest runs SELinux (enforcing or permissive) and so needs a relabel after edits.</summary>
    public static bool IsActive(string? mode) => mode is "enforcing" or "permissive";

    /// <summary>
    /// After a seal or customize that changed something on an SELinux guest (<paramref name="mode"/> from
    /// <see cref="ModeOf"/>): the empty flag, in a batch of its own so a run that changed nothing does not ask for a
    /// relabel (a re-run stays a no-op once the guest relabeled). A dry run plans it without writing. Returns the
    /// report lines under <see cref="Operation"/>; none when nothing changed, SELinux is off or the flag exists.
    /// </summary>
    public static async Task<IReadOnlyList<ChangeReport>> RequestAfterChangesAsync(IGuestFileSystem guest, string? mode, bool changedAnything, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (!changedAnything || !IsActive(mode))
        {
            return [];
        }

        var batch = new GuestEditBatch().WriteFile(AutorelabelPath, [], 0b110_100_100, 0, 0);
        var changes = dryRun
            ? await guest.PlanAsync(batch, cancellationToken).ConfigureAwait(false)
            : await guest.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
        return changes.Where(c => c.IsChange)
            .Select(c => new ChangeReport(Operation, c.Path, c.Action.ToString().ToLowerInvariant()))
            .ToList();
    }

    [GeneratedRegex(@"^\s*SELINUX\s*=\s*[""']?(?<mode>[A-Za-z]+)[""']?\s*(#.*)?\r?$", RegexOptions.CultureInvariant)]
    private static partial Regex ModeLine();
}
