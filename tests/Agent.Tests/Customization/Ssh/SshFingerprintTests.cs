using Imprint.Agent.Customization.Ssh;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Ssh;

public sealed class SshFingerprintTests : IDisposable
{
    private const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_fixed_key_matches_ssh_keygen_l()
    {
        var pub = _temp.File("k.pub");
        File.WriteAllText(pub, Ed25519 + "\n");

        Assert.Equal(Sh.Run("ssh-keygen", "-lf", pub).Split(' ')[1], SshFingerprint.Compute(Ed25519));
    }

    [Fact]
    public void The_comment_does_not_change_the_fingerprint() =>
        Assert.Equal(SshFingerprint.Compute(Ed25519), SshFingerprint.Compute(Ed25519.Split(' ')[0] + "\t" + Ed25519.Split(' ')[1]));

    [Theory]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")]
    [InlineData("ssh-ed25519 not-base64!")]
    public void Malformed_lines_are_a_format_error(string line) =>
        Assert.Throws<FormatException>(() => SshFingerprint.Compute(line));
}
