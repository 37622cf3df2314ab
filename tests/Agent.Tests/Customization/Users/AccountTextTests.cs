using Imprint.Agent.Customization.Users;

namespace Imprint.Agent.Tests.Customization.Users;

public sealed class AccountTextTests
{
    [Theory]
    [InlineData("root:x:0:\n", "root:x:0:\nadmin:x:1000:\n")]
    [InlineData("root:x:0:", "root:x:0:\nadmin:x:1000:\n")]
    [InlineData("", "admin:x:1000:\n")]
    public void A_line_is_appended_after_a_newline(string text, string expected) =>
        Assert.Equal(expected, AccountText.WithLine(text, "admin:x:1000:"));

    [Theory]
    [InlineData("root:x:0:\nsudo:x:27:\n", "root:x:0:\nsudo:x:27:admin\n")]
    [InlineData("sudo:x:27:debian\r\n# c\n", "sudo:x:27:debian,admin\r\n# c\n")]
    [InlineData("sudo:x:27\n", "sudo:x:27:admin\n")]
    [InlineData("sudo:x:27:debian,admin\n", "sudo:x:27:debian,admin\n")]
    public void Members_are_appended_once_and_other_bytes_kept(string text, string expected) =>
        Assert.Equal(expected, AccountText.WithMember(text, "sudo", "admin"));

    [Fact]
    public void A_group_without_a_line_is_null() => Assert.Null(AccountText.WithMember("root:x:0:\n", "sudo", "admin"));
}
