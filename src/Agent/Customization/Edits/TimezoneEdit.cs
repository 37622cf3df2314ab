using System.Text.RegularExpressions;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// The guest's time zone: /etc/localtime as an absolute symlink to <c>/usr/share/zoneinfo/&lt;zone&gt;</c> (what
/// Debian's tzdata and timedatectl write; systemd reads the zone name back from the link), plus /etc/timezone on
/// Debian-family guests, which tzdata's maintainer scripts read.
/// </summary>
public static partial class TimezoneEdit
{
    public const string LocalTimePath = "/etc/localtime";
    public const string DebianTimezonePath = "/etc/timezone";
    public const string ZoneInfoFolder = "/usr/share/zoneinfo";

    /// <summary>
    /// Null when <paramref name="zone"/> is shaped like an IANA name: "/"-separated parts of letters, digits, '.',
    /// '_', '+', '-', none empty, "." or "..", no part starting with '-' (e.g. Europe/Berlin, Etc/GMT+5, UTC).
    /// Whether the guest has the zone is checked separately by <see cref="RequireInstalled"/>.
    /// </summary>
    public static string? SyntaxProblem(string zone) =>
        zone.Length <= 255 && ZonePattern().IsMatch(zone) && !zone.Split('/').Any(p => p is "." or "..")
            ? null
            : $"'{zone}' is not an IANA time zone name such as Europe/Berlin";

    /// <summary>The guest path the zone's data lives at.</summary>
    public static string ZoneFile(string zone) => $"{ZoneInfoFolder}/{zone}";

    public static GuestEdits Render(string zone, GuestFamily family)
    {
        if (SyntaxProblem(zone) is { } problem)
        {
            throw ImprintException.Usage($"timezone: {problem}");
        }

        var link = new GuestSymlink(LocalTimePath, ZoneFile(zone));
        GuestFile[] files = family == GuestFamily.Debian ? [new GuestFile(DebianTimezonePath, zone + "\n", GuestFile.PublicMode)] : [];
        return new GuestEdits(files, [link], []);
    }

    /// <summary>Throws a Usage error naming the zone when the guest lacks its zoneinfo file.</summary>
    public static void RequireInstalled(string zone, Func<string, bool> guestFileExists)
    {
        if (!guestFileExists(ZoneFile(zone)))
        {
            throw ImprintException.Usage($"timezone '{zone}' is not installed in the guest ({ZoneFile(zone)} is missing; is tzdata installed?)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._+-]*(/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$")]
    private static partial Regex ZonePattern();
}
