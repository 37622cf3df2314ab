using System.Text.RegularExpressions;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
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

    /// <summary>Largest zone file read to check its magic; real ones are under 4 KiB (tzfile(5), with leap seconds).</summary>
    public const int MaxZoneFileBytes = 1 << 20;

    /// <summary>The first bytes of every compiled zone file (tzfile(5)).</summary>
    public static ReadOnlySpan<byte> TzifMagic => "TZif"u8;

    /// <summary>
    /// Null when <paramref name="zone"/> is shaped like an IANA name: "/"-separated parts of letters, digits, '.',
    /// '_', '+', '-', none empty, "." or "..", no part starting with '-' (e.g. Europe/Berlin, Etc/GMT+5, UTC).
    /// Whether the guest has the zone is checked separately by <see cref="InstalledProblem"/>.
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

    /// <summary>
    /// Null when the guest's zone file (its stat with symlinks followed inside the guest, and its first bytes) is a
    /// real zone: a regular file starting with the TZif magic that glibc, musl and systemd check. A folder
    /// (<c>Europe</c>) or a table (<c>zone.tab</c>) passes the name check but makes /etc/localtime unreadable, so
    /// every program falls back to UTC and systemd reports the zone as invalid.
    /// </summary>
    public static string? InstalledProblem(string zone, GuestFileStat? followed, ReadOnlySpan<byte> head)
    {
        var file = ZoneFile(zone);
        return followed switch
        {
            null => $"'{zone}' is not installed in the guest ({file} is missing; is tzdata installed?)",
            { Kind: GuestFileKind.Directory } => $"'{zone}' is a folder of zones in the guest ({file}), not a zone; name one inside it such as Europe/Berlin",
            { Kind: not GuestFileKind.File } => $"'{zone}' is not a time zone: {file} is not a regular file",
            { Size: > MaxZoneFileBytes } => $"'{zone}' is not a time zone: {file} is {followed.Size} bytes, far larger than any TZif file",
            _ when !head.StartsWith(TzifMagic) => $"'{zone}' is not a time zone: {file} does not start with the TZif magic (it is not compiled zone data)",
            _ => null,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._+-]*(/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$")]
    private static partial Regex ZonePattern();
}
