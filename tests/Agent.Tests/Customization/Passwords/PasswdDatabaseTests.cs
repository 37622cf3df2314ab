using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Tests.Customization.Passwords;

public sealed class PasswdDatabaseTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\n# comment\n+nisuser::::::\nbroken:line\ndebian:x:1000:1000:Debian,,,:/home/debian:/bin/bash\nweb:x:998:997::/var/www:/usr/sbin/nologin\n";
    private const string Group = "root:x:0:\nadm:x:4:debian,syslog\ndebian:x:1000:\nwww:x:997:\nssh_keys:x:996:\n";
    private readonly PasswdDatabase _db = PasswdDatabase.Parse(Passwd, Group);

    [Fact]
    public void Users_and_groups_are_parsed_with_every_field()
    {
        Assert.Equal(["root", "debian", "web"], _db.Users.Select(u => u.Name));
        Assert.Equal(new PasswdEntry("debian", 1000, 1000, "Debian,,,", "/home/debian", "/bin/bash"), _db.User("debian"));
        Assert.Equal(["debian", "syslog"], _db.Group("adm").Members);
        Assert.Empty(_db.Group("root").Members);
        Assert.Equal(996u, _db.TryGroup("ssh_keys")!.Gid);
    }

    [Theory]
    [InlineData("0:0", 0u, 0u)]
    [InlineData("debian:debian", 1000u, 1000u)]
    [InlineData("web:www", 998u, 997u)]
    [InlineData("web:0", 998u, 0u)]
    [InlineData("4242:4343", 4242u, 4343u)]
    [InlineData("web", 998u, 997u)]
    [InlineData("1000", 1000u, 1000u)]
    public void Owners_resolve_by_name_or_number(string owner, uint uid, uint gid) =>
        Assert.Equal((uid, gid), _db.ResolveOwner(owner));

    [Theory]
    [InlineData("ghost:root", "user 'ghost' does not exist in the guest's /etc/passwd")]
    [InlineData("root:ghosts", "group 'ghosts' does not exist in the guest's /etc/group")]
    [InlineData("ghost", "user 'ghost' does not exist in the guest's /etc/passwd")]
    [InlineData("4242", "owner '4242': uid 4242 has no entry in the guest's /etc/passwd to take a group from; give uid:gid")]
    [InlineData("root:", "owner 'root:' must be user, uid, user:group or uid:gid")]
    [InlineData("a:b:c", "owner 'a:b:c' must be user, uid, user:group or uid:gid")]
    public void Unknown_owners_are_clear_usage_errors(string owner, string message)
    {
        var error = Assert.Throws<ImprintException>(() => _db.ResolveOwner(owner));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Missing_files_give_an_empty_database()
    {
        var empty = PasswdDatabase.Parse(null, null);

        Assert.Empty(empty.Users);
        Assert.Null(empty.TryUser("root"));
    }
}
