using System.CommandLine;
using Imprint.Agent.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>Relative paths in a spec file resolve against the spec's folder (the operator mounts customize.json and secrets/ side by side).</summary>
public sealed class CustomizeOptionsBinderTests(SampleDisk sample) : IClassFixture<SampleDisk>, IDisposable
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Base_directory_is_the_spec_files_folder_and_the_working_directory_without_a_spec()
    {
        var input = Directory.CreateDirectory(_temp.File("input")).FullName;
        var spec = Path.Combine(input, "customize.json");
        File.WriteAllText(spec, "{\"hostname\":\"web-01\"}");
        var binder = new CustomizeOptionsBinder();
        var command = new Command("customize");
        binder.AddTo(command);

        var (_, withSpec) = binder.Build(command.Parse(["--spec", spec]));
        var (_, withoutSpec) = binder.Build(command.Parse(["--hostname", "web-02"]));

        Assert.Equal(input, withSpec);
        Assert.NotEqual(input, Directory.GetCurrentDirectory());
        Assert.Equal(Directory.GetCurrentDirectory(), withoutSpec);
    }

    [Fact]
    public void A_content_file_over_the_limit_is_refused_when_options_are_read_before_any_disk_is_touched()
    {
        var input = Directory.CreateDirectory(_temp.File("big-input")).FullName;
        using (var big = File.Create(Path.Combine(input, "big.bin")))
        {
            big.SetLength(200_000_000); // sparse
        }

        var spec = Path.Combine(input, "customize.json");
        File.WriteAllText(spec, "{\"files\": [{ \"path\": \"/opt/big\", \"contentFile\": \"big.bin\" }]}");
        var binder = new CustomizeOptionsBinder();
        var command = new Command("customize");
        binder.AddTo(command);

        var error = Assert.Throws<Imprint.Agent.Errors.ImprintException>(() => binder.Build(command.Parse(["--spec", spec])));

        Assert.Equal(Imprint.Agent.Errors.ExitCode.Usage, error.Code);
        Assert.Contains("files[0].contentFile: 'big.bin' is 200000000 bytes, over the limit of 64 MiB per file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_named_relative_to_the_spec_reach_the_guest_whatever_the_working_directory()
    {
        var disk = _temp.File("disk.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, disk);
        var input = Directory.CreateDirectory(_temp.File("etc-imprint-input")).FullName;
        Directory.CreateDirectory(Path.Combine(input, "secrets"));
        await File.WriteAllTextAsync(Path.Combine(input, "secrets", "root-password"), "s3cret\n");
        await File.WriteAllTextAsync(Path.Combine(input, "secrets", "authorized-keys"), Key + "\n");
        await File.WriteAllTextAsync(Path.Combine(input, "secrets", "motd"), "relative motd\n");
        await File.WriteAllTextAsync(Path.Combine(input, "customize.json"), """
            {
              "rootPassword": { "file": "secrets/root-password" },
              "users": [{ "name": "debian", "sshAuthorizedKeysFile": "secrets/authorized-keys" }],
              "files": [{ "path": "/etc/motd", "contentFile": "secrets/motd" }],
              "sshHostKeys": "Keep"
            }
            """);

        var (exit, _, stderr) = await CliRun.RunAsync("customize", disk, "--spec", Path.Combine(input, "customize.json"));

        Assert.True(exit == 0, stderr);
        var offset = TestDisks.PartitionRange(disk, 2).Offset;
        var shadowRoot = Sh.DebugfsCat(disk, offset, "/etc/shadow").Split('\n')[0].Split(':')[1];
        var salt = shadowRoot.Split('$')[2];
        Assert.Equal(Sh.RunResult("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], stdin: "s3cret\n").StandardOutput.Trim(), shadowRoot);
        Assert.Equal(Key + "\n", Sh.DebugfsCat(disk, offset, "/home/debian/.ssh/authorized_keys"));
        Assert.Equal("relative motd\n", Sh.DebugfsCat(disk, offset, "/etc/motd"));
    }
}
