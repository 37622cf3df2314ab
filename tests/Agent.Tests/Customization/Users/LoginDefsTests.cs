using Imprint.Agent.Customization.Users;

namespace Imprint.Agent.Tests.Customization.Users;

public sealed class LoginDefsTests
{
    [Fact]
    public void Missing_file_gives_useradd_defaults()
    {
        var defs = LoginDefs.Parse(null);

        Assert.Equal((1000u, 60000u, 1000u, 60000u), (defs.UidMin, defs.UidMax, defs.GidMin, defs.GidMax));
        Assert.Equal(Convert.ToInt32("755", 8), defs.HomeMode);
        Assert.Equal((string.Empty, string.Empty, string.Empty), (defs.PassMinDays, defs.PassMaxDays, defs.PassWarnAge));
    }

    [Theory]
    [InlineData("UMASK 077\n", "700")]
    [InlineData("UMASK\t\t027\n", "750")]
    [InlineData("UMASK 022\nHOME_MODE 0700\n", "700")]
    [InlineData("HOME_MODE 9999\nUMASK 002\n", "775")]
    public void Home_mode_is_home_mode_else_the_umask_applied_to_0777(string text, string octal) =>
        Assert.Equal(Convert.ToInt32(octal, 8), LoginDefs.Parse(text).HomeMode);

    [Fact]
    public void Id_ranges_and_aging_come_from_the_file_and_the_top_is_capped_below_nobody()
    {
        var defs = LoginDefs.Parse("# comment\nUID_MIN 500\nUID_MAX 70000\nGID_MIN\t\t600\nGID_MAX 5000\nPASS_MAX_DAYS 99999\nPASS_MIN_DAYS x\n");

        Assert.Equal((500u, 60000u, 600u, 5000u), (defs.UidMin, defs.UidMax, defs.GidMin, defs.GidMax));
        Assert.Equal(("99999", string.Empty), (defs.PassMaxDays, defs.PassMinDays));
    }
}
