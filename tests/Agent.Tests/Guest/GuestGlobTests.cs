using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Guest;

public sealed class GuestGlobTests
{
    [Theory]
    [InlineData("*.log", "syslog.log", true)]
    [InlineData("*.log", ".hidden.log", false)]
    [InlineData(".*", ".bash_history", true)]
    [InlineData(".*", "..", false)]
    [InlineData("ssh_host_*", "ssh_host_rsa_key.pub", true)]
    [InlineData("?.deb", "ab.deb", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[!a-c]x", "bx", false)]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("[]]", "]", true)]
    [InlineData("a\\*", "a*", true)]
    [InlineData("a\\*", "ab", false)]
    [InlineData("*", "", true)]
    public void Component_matching_follows_the_shell(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, GuestGlob.Matches(pattern, name));
    }
}
