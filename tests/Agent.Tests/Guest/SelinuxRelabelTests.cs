using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Guest;

public sealed class SelinuxRelabelTests
{
    [Theory]
    [InlineData("SELINUX=enforcing\nSELINUXTYPE=targeted\n", "enforcing", true)]
    [InlineData("# SELINUX=disabled\nSELINUX=permissive\n", "permissive", true)]
    [InlineData("SELINUX = \"Enforcing\"  # kickstart\r\n", "enforcing", true)]
    [InlineData("SELINUX=enforcing\nSELINUX=disabled\n", "disabled", false)]
    [InlineData("SELINUXTYPE=targeted\n", null, false)]
    [InlineData(null, null, false)]
    public void The_last_selinux_line_decides_and_only_enforcing_or_permissive_need_a_relabel(string? config, string? mode, bool relabel)
    {
        Assert.Equal(mode, SelinuxRelabel.ModeOf(config));
        Assert.Equal(relabel, SelinuxRelabel.IsActive(SelinuxRelabel.ModeOf(config)));
    }
}
