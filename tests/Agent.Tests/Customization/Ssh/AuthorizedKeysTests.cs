using Imprint.Agent.Customization.Ssh;

namespace Imprint.Agent.Tests.Customization.Ssh;

[Collection(HostKeysCollection.Name)]
public sealed class AuthorizedKeysTests(HostKeysFixture fixture)
{
    private const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";

    [Fact]
    public void Real_public_keys_of_every_type_are_valid_with_or_without_options()
    {
        foreach (var key in fixture.Keys)
        {
            Assert.True(AuthorizedKeys.IsValidLine(key.PublicKeyLine), key.Type);
            Assert.True(AuthorizedKeys.IsValidLine("no-pty,command=\"echo a b\" " + key.PublicKeyLine), key.Type);
        }
    }

    [Theory]
    [InlineData("hello world", "not an OpenSSH public key line")]
    [InlineData("ssh-ed25519", "not an OpenSSH public key line")]
    [InlineData("ssh-ed25519 bm90IGEga2V5", "the base64 key data is not a valid ssh-ed25519 key")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", "the base64 key data is not a valid ssh-rsa key")]
    [InlineData("ssh-ed25519 !!!!", "the base64 key data is not a valid ssh-ed25519 key")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\nssh-rsa x", "one key per line")]
    public void Garbage_is_refused_with_a_reason(string line, string reason) =>
        Assert.StartsWith(reason, AuthorizedKeys.Problem(line), StringComparison.Ordinal);

    [Fact]
    public void Merge_appends_new_keys_once_and_keeps_existing_lines()
    {
        var other = fixture.Keys[0].PublicKeyLine;
        const string existing = "# managed by hand\nfrom=\"10.0.0.0/8\" " + Ed25519;

        var merged = AuthorizedKeys.Merge(existing, [Ed25519.Replace("demo@imprint", "renamed", StringComparison.Ordinal), other, other, "", "# comment"]);

        Assert.Equal(existing + "\n" + other + "\n", merged);
        Assert.Equal(merged, AuthorizedKeys.Merge(merged, [other, Ed25519]));
    }

    [Fact]
    public void Merge_into_no_file_writes_just_the_keys()
    {
        Assert.Equal(Ed25519 + "\n", AuthorizedKeys.Merge(null, ["  " + Ed25519 + "  "]));
        Assert.Equal(string.Empty, AuthorizedKeys.Merge(null, []));
    }

    [Fact]
    public void Lines_drops_blanks_and_comments() =>
        Assert.Equal([Ed25519], AuthorizedKeys.Lines("# keys\n\n  " + Ed25519 + "\r\n"));
}
