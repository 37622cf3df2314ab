using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Importing;
using Imprint.Agent.Tests.Support;
using Imprint.Agent.Tests.Transfer;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// Walks every command over a table of bad inputs and asserts the documented exit code (README's table), that stderr
/// carries an error line but no stack trace, and that the input is byte-for-byte unchanged. Exit 1 never appears:
/// it is reserved for bugs.
/// </summary>
public sealed class ExitCodeTableTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private const string Commands = "inspect seal customize resize clone convert import shrink digest";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // One row per bad input; one column per command, in the order of Commands. convert and import copy a raw image
    // without reading its tables (raw is raw), so a damaged table is no error for them; clone --size grows, so it is.
    // digest hashes bytes, whatever they hold.
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        ["missing"] = [3, 3, 3, 3, 3, 3, 3, 3, 3],
        ["directory"] = [3, 3, 3, 3, 3, 3, -1, 3, 3],
        ["empty"] = [4, 4, 4, 4, 4, 0, 0, 4, 0],
        ["truncated-gpt"] = [4, 4, 4, 4, 4, 0, 0, 4, 0],
        ["bad-crc"] = [4, 4, 4, 4, 4, 0, 0, 4, 0],
        ["zeroed-superblock"] = [0, 4, 4, 4, 4, 0, 0, 4, 0],
        ["unknown-feature"] = [0, 5, 5, 5, 5, 0, 0, 5, 0],
        ["bad-spec"] = [-1, -1, 2, -1, 2, -1, -1, -1, -1],
        ["target-exists"] = [-1, -1, -1, -1, 6, 6, 6, -1, -1],
    };

    public static TheoryData<string, string, int> Table()
    {
        var data = new TheoryData<string, string, int>();
        var commands = Commands.Split(' ');
        foreach (var (failure, codes) in Expected)
        {
            for (var i = 0; i < commands.Length; i++)
            {
                if (codes[i] >= 0)
                {
                    data.Add(commands[i], failure, codes[i]);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Every_command_exits_with_the_documented_code_without_a_stack_trace_and_keeps_its_input(string command, string failure, int expected)
    {
        var input = MakeInput(failure);
        var hash = File.Exists(input) ? Sh.Sha256(input) : null;
        var target = _temp.File("out.raw");
        if (failure == "target-exists")
        {
            await File.WriteAllTextAsync(target, "keep me");
        }

        await using var server = command == "import" ? await ImageServer.StartAsync() : null;
        var args = Arguments(command, input, target, failure, server);

        var (exit, stdout, stderr) = await CliRun.RunAsync(args);

        Assert.True(expected == exit, $"imprint {string.Join(' ', args)}: expected exit {expected}, got {exit}\n{stderr}");
        BadImages.AssertNoStackTrace(stdout + stderr);
        if (exit != 0)
        {
            Assert.Contains($"imprint {command}: error: ", stderr, StringComparison.Ordinal);
        }

        if (failure == "directory")
        {
            Assert.Contains("is a directory", stderr, StringComparison.Ordinal);
        }

        Assert.Equal(hash, File.Exists(input) ? Sh.Sha256(input) : null);
        if (failure == "target-exists")
        {
            Assert.Equal("keep me", await File.ReadAllTextAsync(target));
        }
    }

    [Fact]
    public async Task Serve_exits_3_for_a_missing_disk_a_directory_or_a_missing_token_file()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        var disk = MakeInput("good");
        var token = _temp.File("token");
        await File.WriteAllTextAsync(token, "0123456789abcdef0123456789abcdef");

        var missing = await CliRun.RunAsync(ServeArgs(_temp.File("missing.raw"), FreeEndpoint(), token, certificates));
        var directory = await CliRun.RunAsync(ServeArgs(_temp.Path, FreeEndpoint(), token, certificates));
        var noToken = await CliRun.RunAsync(ServeArgs(disk, FreeEndpoint(), _temp.File("no-token"), certificates));

        Assert.Equal((int)ExitCode.NotFound, missing.Exit);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotFound, directory.Exit);
        Assert.Contains("is a directory", directory.Stderr, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotFound, noToken.Exit);
        BadImages.AssertNoStackTrace(missing.Stderr + directory.Stderr + noToken.Stderr);
    }

    [Fact]
    public async Task Serve_on_a_taken_port_exits_6_naming_the_port()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        var disk = MakeInput("good");
        var token = _temp.File("token");
        await File.WriteAllTextAsync(token, "0123456789abcdef0123456789abcdef");
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        var (exit, stdout, stderr) = await CliRun.RunAsync(ServeArgs(disk, $"127.0.0.1:{port}", token, certificates));

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains($"port {port}", stderr, StringComparison.Ordinal);
        Assert.Contains("in use", stderr, StringComparison.Ordinal);
        BadImages.AssertNoStackTrace(stdout + stderr);
    }

    [Fact]
    public async Task Serve_with_no_client_within_the_timeout_exits_6()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        var disk = MakeInput("good");
        var token = _temp.File("token");
        await File.WriteAllTextAsync(token, "0123456789abcdef0123456789abcdef");

        var (exit, stdout, stderr) = await CliRun.RunAsync([.. ServeArgs(disk, FreeEndpoint(), token, certificates), "--timeout", "1s"]);

        Assert.Equal((int)ExitCode.Conflict, exit);
        BadImages.AssertNoStackTrace(stdout + stderr);
    }

    /// <summary>A loopback ADDR:PORT that was free a moment ago (serve refuses port 0: its clients must know the port).</summary>
    private static string FreeEndpoint()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return $"127.0.0.1:{((System.Net.IPEndPoint)probe.LocalEndpoint).Port}";
    }

    private static string[] ServeArgs(string disk, string listen, string token, TestCertificates certificates) =>
        ["serve", disk, "--listen", listen, "--token-file", token, "--tls-cert", certificates.CertPem, "--tls-key", certificates.KeyPem];

    private string[] Arguments(string command, string input, string target, string failure, ImageServer? server)
    {
        var spec = _temp.File("spec.yaml");
        File.WriteAllText(spec, "hostname: [unterminated\n");
        string[] customize = failure == "bad-spec" ? ["--spec", spec] : ["--hostname", "table-01"];
        return command switch
        {
            "customize" => ["customize", input, .. customize],
            "resize" => ["resize", input, "--size", "128M"],
            "clone" => ["clone", input, target, "--size", "128M", .. failure == "bad-spec" ? customize : []],
            "convert" => ["convert", input, target],
            "import" => ["import", "--url", (failure == "missing" ? new Uri(server!.BaseUri, "missing.raw") : server!.Add("disk.raw", input)).ToString(), target],
            _ => [command, input],
        };
    }

    /// <summary>Builds the bad input named by <paramref name="failure"/> with the real tools; returns its path.</summary>
    private string MakeInput(string failure)
    {
        var path = _temp.File($"{failure}.raw");
        switch (failure)
        {
            case "missing":
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "truncated-gpt":
                TestDisks.CreateGpt(path, 64, new PartitionSpec(0));
                using (var stream = new FileStream(path, FileMode.Open))
                {
                    stream.SetLength(30 * MiB);
                }

                break;
            case "bad-crc":
                TestDisks.CreateGpt(path, 32, new PartitionSpec(0));
                Partitions.PartitionTestImages.FlipByte(path, 512 + 40);
                Partitions.PartitionTestImages.FlipByte(path, (32 * MiB) - 512 + 40);
                break;
            case "zeroed-superblock":
                BadImages.ZeroedSuperblockDisk(path);
                break;
            case "unknown-feature":
                BadImages.UnknownFeatureDisk(path);
                break;
            default:
                TestDisks.CreateGpt(path, 64, new PartitionSpec(0));
                TestDisks.MakeExt(path, 1, tree: GuestTrees.DebianLike(_temp.File($"{failure}-tree")));
                break;
        }

        return path;
    }
}
