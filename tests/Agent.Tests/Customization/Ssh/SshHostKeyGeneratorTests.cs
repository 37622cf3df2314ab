using System.Text;
using Imprint.Agent.Customization.Ssh;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Ssh;

[Collection(HostKeysCollection.Name)]
public sealed class SshHostKeyGeneratorTests(HostKeysFixture fixture) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Keys_come_back_in_the_order_asked_with_their_guest_paths()
    {
        Assert.Equal(["rsa", "ecdsa", "ed25519"], fixture.Keys.Select(k => k.Type));
        Assert.Equal(
            ["/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key"],
            fixture.Keys.Select(k => k.PrivatePath));
        Assert.Equal("/etc/ssh/ssh_host_rsa_key.pub", fixture.Keys[0].PublicPath);
    }

    [Fact]
    public void Each_key_is_an_unencrypted_openssh_pair_whose_public_half_ssh_keygen_derives_again()
    {
        foreach (var key in fixture.Keys)
        {
            var privatePath = _temp.File($"ssh_host_{key.Type}_key");
            File.WriteAllBytes(privatePath, key.PrivateKey);
            File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            // -y re-derives the public key from the private one and fails if a passphrase were needed.
            var derived = Sh.Run("ssh-keygen", "-y", "-P", string.Empty, "-f", privatePath).Trim();

            Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", Encoding.ASCII.GetString(key.PrivateKey), StringComparison.Ordinal);
            Assert.Equal(string.Join(' ', key.PublicKeyLine.Split(' ')[..2]), string.Join(' ', derived.Split(' ')[..2]));
            Assert.EndsWith(" root@fixture", key.PublicKeyLine, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fingerprints_equal_ssh_keygen_l_and_rsa_has_3072_bits()
    {
        foreach (var key in fixture.Keys)
        {
            var pub = _temp.File($"{key.Type}.pub");
            File.WriteAllText(pub, key.PublicKeyLine + "\n");

            var oracle = Sh.Run("ssh-keygen", "-lf", pub).Split(' ');

            Assert.Equal(oracle[1], key.Fingerprint);
            Assert.Equal(oracle[1], SshFingerprint.Compute(key.PublicKeyLine));
            Assert.Equal(key.Type switch { "rsa" => "3072", "ecdsa" => "256", _ => "256" }, oracle[0]);
        }
    }

    [Fact]
    public void No_private_key_folder_is_left_behind_and_ram_is_preferred()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.TempParent));
        Assert.Equal(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), SshHostKeyGenerator.DefaultTempParent);
    }

    [Fact]
    public async Task The_private_folder_is_deleted_when_generation_is_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SshHostKeyGenerator.GenerateAsync(["rsa", "ed25519"], "x", _temp.Path, cancelled.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Unsupported_types_are_refused_before_running_anything()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SshHostKeyGenerator.GenerateAsync(["dsa"], "x", CancellationToken.None));
    }

    [Fact]
    public void Key_types_come_from_the_guests_file_names()
    {
        Assert.Equal(
            ["ecdsa", "ed25519"],
            SshHostKeyGenerator.TypesFrom(["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ed25519_key.pub", "/etc/ssh/ssh_host_ecdsa_key.pub", "/etc/ssh/ssh_host_dsa_key", "/etc/ssh/sshd_config", "ssh_host__key"]));
        Assert.Equal(["rsa"], SshHostKeyGenerator.TypesFrom(["ssh_host_rsa_key"]));
        Assert.Equal(["ecdsa", "ed25519", "rsa"], SshHostKeyGenerator.TypesFrom([]));
        Assert.Equal(["ecdsa", "ed25519", "rsa"], SshHostKeyGenerator.TypesFrom(["/etc/ssh/ssh_host_dsa_key"]));
    }
}
