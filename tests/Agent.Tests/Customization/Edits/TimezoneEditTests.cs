using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Errors;
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
    public void A_zone_missing_from_the_guest_is_a_usage_error_naming_the_file()
    {
        var asked = new List<string>();

        TimezoneEdit.RequireInstalled("Europe/Berlin", p => { asked.Add(p); return true; });
        var error = Assert.Throws<ImprintException>(() => TimezoneEdit.RequireInstalled("Mars/Olympus", _ => false));

        Assert.Equal(["/usr/share/zoneinfo/Europe/Berlin"], asked);
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal("timezone 'Mars/Olympus' is not installed in the guest (/usr/share/zoneinfo/Mars/Olympus is missing; is tzdata installed?)", error.Message);
    }
}
