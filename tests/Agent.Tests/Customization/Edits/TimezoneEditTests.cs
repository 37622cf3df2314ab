using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class TimezoneEditTests
{
    [Fact]
    public void Debian_gets_the_absolute_localtime_link_and_etc_timezone()
    {
        var edits = TimezoneEdit.Render("Europe/Berlin", GuestFamily.Debian);

        Assert.Equal([new GuestSymlink("/etc/localtime", "/usr/share/zoneinfo/Europe/Berlin")], edits.Symlinks);
        Assert.Equal([new GuestFile("/etc/timezone", "Europe/Berlin\n", 0b110_100_100)], edits.Files);
        Assert.Empty(edits.Deletes);
    }

    [Fact]
    public void Other_families_get_only_the_link()
    {
        var edits = TimezoneEdit.Render("America/Argentina/Buenos_Aires", GuestFamily.RedHat);

        Assert.Equal([new GuestSymlink("/etc/localtime", "/usr/share/zoneinfo/America/Argentina/Buenos_Aires")], edits.Symlinks);
        Assert.Empty(edits.Files);
    }

    [Theory]
    [InlineData("UTC", true)]
    [InlineData("Etc/GMT+5", true)]
    [InlineData("Etc/GMT-14", true)]
    [InlineData("EST5EDT", true)]
    [InlineData("America/Port-au-Prince", true)]
    [InlineData("Europe/../../etc/shadow", false)]
    [InlineData("/Europe/Berlin", false)]
    [InlineData("Europe//Berlin", false)]
    [InlineData("Europe/Berlin/", false)]
    [InlineData("Europe/.hidden", false)]
    [InlineData("Europe/Ber lin", false)]
    [InlineData("", false)]
    public void Zone_names_are_checked_for_iana_shape(string zone, bool valid) =>
        Assert.Equal(valid, TimezoneEdit.SyntaxProblem(zone) is null);

    [Fact]
    public void Rendering_a_malformed_zone_is_a_usage_error() =>
        Assert.Equal(ExitCode.Usage, Assert.Throws<ImprintException>(() => TimezoneEdit.Render("../x", GuestFamily.Debian)).Code);

    [Fact]
    public void A_compiled_zone_file_is_installed()
    {
        var stat = new GuestFileStat("/usr/share/zoneinfo/Europe/Berlin", GuestFileKind.File, 0b110_100_100, 0, 0, 2298, null, 12);

        Assert.Null(TimezoneEdit.InstalledProblem("Europe/Berlin", stat, "TZif2\0\0"u8));
    }

    [Fact]
    public void A_zone_missing_from_the_guest_names_the_file() =>
        Assert.Equal(
            "'Mars/Olympus' is not installed in the guest (/usr/share/zoneinfo/Mars/Olympus is missing; is tzdata installed?)",
            TimezoneEdit.InstalledProblem("Mars/Olympus", null, []));

    [Fact]
    public void A_folder_of_zones_is_not_a_zone()
    {
        var stat = new GuestFileStat("/usr/share/zoneinfo/Europe", GuestFileKind.Directory, 0b111_101_101, 0, 0, 4096, null, 13);

        Assert.Equal(
            "'Europe' is a folder of zones in the guest (/usr/share/zoneinfo/Europe), not a zone; name one inside it such as Europe/Berlin",
            TimezoneEdit.InstalledProblem("Europe", stat, []));
    }

    [Fact]
    public void A_file_without_the_tzif_magic_is_not_a_zone()
    {
        var stat = new GuestFileStat("/usr/share/zoneinfo/zone.tab", GuestFileKind.File, 0b110_100_100, 0, 0, 19419, null, 14);

        Assert.Equal(
            "'zone.tab' is not a time zone: /usr/share/zoneinfo/zone.tab does not start with the TZif magic (it is not compiled zone data)",
            TimezoneEdit.InstalledProblem("zone.tab", stat, "# tzdb"u8));
        Assert.NotNull(TimezoneEdit.InstalledProblem("zone.tab", stat, "TZ"u8)); // shorter than the magic
    }

    [Fact]
    public void A_huge_file_is_not_a_zone_and_is_not_read()
    {
        var stat = new GuestFileStat("/usr/share/zoneinfo/Big", GuestFileKind.File, 0b110_100_100, 0, 0, 1L << 40, null, 15);

        Assert.Contains("far larger than any TZif file", TimezoneEdit.InstalledProblem("Big", stat, "TZif"u8), StringComparison.Ordinal);
    }
}
