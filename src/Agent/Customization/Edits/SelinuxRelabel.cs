using System.Text.RegularExpressions;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// SELinux guests label every file (<c>security.selinux</c>); a file an offline edit creates has no label, which an
/// enforcing guest denies access to. As virt-customize does without a policy at hand, an empty <c>/.autorelabel</c>
/// asks the guest to relabel its filesystems at the next boot (and reboot once). Overwritten files keep their label.
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

    [GeneratedRegex(@"^\s*SELINUX\s*=\s*[""']?(?<mode>[A-Za-z]+)[""']?\s*(#.*)?\r?$", RegexOptions.CultureInvariant)]
    private static partial Regex ModeLine();
}
