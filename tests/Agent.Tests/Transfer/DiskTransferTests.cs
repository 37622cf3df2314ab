using System.Net;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;
using Imprint.Agent.Transfer;

namespace Imprint.Agent.Tests.Transfer;

/// <summary>
/// <c>imprint serve</c> → <c>imprint clone https://…</c> on 127.0.0.1 with certificates made in the test: the copy
/// equals the source, holes stay holes, and every way in without the token or the right CA is refused.
/// </summary>
public sealed class DiskTransferTests(SampleDisk sample) : IClassFixture<SampleDisk>, IDisposable
{
    private const string Token = "one-time-token-7f3a9c";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Clone_from_a_served_disk_equals_the_source_and_keeps_holes()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        await using var server = await StartServerAsync(certificates);
        var target = _temp.File("clone.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("clone", server.Url, target, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);
        var served = await server.Serving;

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.Equal("stream", result.Copy!.Method);
        Assert.Equal("sha256:" + served.DataSha256, result.Copy.Checksum);
        Assert.Equal(served.DataBytes, result.Copy.BytesRead);
        Assert.True(SampleDisk.AllocatedBytes(target) <= sample.Allocated, $"clone allocates {SampleDisk.AllocatedBytes(target)} bytes, the source {sample.Allocated}");
        Assert.True(served.DataBytes < new FileInfo(sample.Path).Length / 2, $"{served.DataBytes} bytes sent for a {new FileInfo(sample.Path).Length}-byte sparse disk");
        Assert.Equal(0, served.RefusedConnections);
    }

    [Fact]
    public async Task Fetched_clone_hashes_the_stream_against_the_expected_digest_and_refuses_a_changed_golden()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        var digest = "sha256:" + sample.Sha256.ToLowerInvariant();
        var wrong = "sha256:" + new string('0', 64);
        await using var good = await StartServerAsync(certificates);
        var matched = await CliRun.JsonAsync("clone", good.Url, _temp.File("good.raw"), "--expect-digest", digest, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);
        await using var changed = await StartServerAsync(certificates);
        var target = _temp.File("changed.raw");

        var (exit, result, _) = await CliRun.JsonAsync("clone", changed.Url, target, "--expect-digest", wrong, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);

        Assert.True(matched.Exit == 0, matched.Stderr + matched.Result.Error);
        Assert.Equal(digest, matched.Result.Digest!.Digest);
        Assert.Equal((int)Errors.ExitCode.InvalidImage, exit);
        Assert.Contains("digest mismatch", result.Error, StringComparison.Ordinal);
        Assert.Contains(digest, result.Error, StringComparison.Ordinal); // what the stream really hashed to
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Served_clone_grows_as_usual_and_the_gpt_stays_valid()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        await using var server = await StartServerAsync(certificates);
        var target = _temp.File("clone.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("clone", server.Url, target, "--size", "128M", "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);

        Assert.True(exit == 0, stderr);
        Assert.Equal(128L * 1024 * 1024, new FileInfo(target).Length);
        Assert.Equal(GrowthOracle.AssertFillsDisk(target, 2, gpt: true), result.Resize!.NewFilesystemSize);
        Sh.AssertGptValid(target);
        Sh.AssertFsckClean(target, TestDisks.PartitionRange(target, 2).Offset);
        Assert.Equal(2, result.Resize!.Partition);
    }

    [LoopDeviceFact]
    public async Task Clone_into_a_block_device_writes_in_place_and_zeroes_the_holes()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        await using var server = await StartServerAsync(certificates);
        using var device = new LoopDevice(_temp.File("device.backing"), new FileInfo(sample.Path).Length);

        var (exit, result, stderr) = await CliRun.JsonAsync("clone", server.Url, device.Path, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);

        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(device.Path));
        Assert.Equal(sample.Sha256, Sh.Sha256(device.Path));
        Sh.AssertGptValid(device.Path);
        Assert.Equal(new FileInfo(sample.Path).Length, result.Copy!.BytesWritten);
    }

    [LoopDeviceFact]
    public async Task Block_device_source_sends_only_its_non_zero_blocks()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        using var device = new LoopDevice(_temp.File("device.backing"), new FileInfo(sample.Path).Length);
        Sh.Run("dd", $"if={sample.Path}", $"of={device.Path}", "bs=1M", "conv=fsync", "status=none");
        await using var server = await StartServerAsync(certificates, device.Path);
        var target = _temp.File("clone.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("clone", server.Url, target, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);
        var served = await server.Serving;

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.True(served.DataBytes <= sample.Allocated, $"{served.DataBytes} bytes sent from a device whose image allocates {sample.Allocated}");
        Assert.True(SampleDisk.AllocatedBytes(target) <= sample.Allocated, $"clone allocates {SampleDisk.AllocatedBytes(target)} bytes");
        Assert.Equal(served.DataBytes, result.Copy!.BytesRead);
    }

    [Fact]
    public async Task Wrong_token_is_refused_with_nothing_served_and_the_server_keeps_waiting()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        await using var server = await StartServerAsync(certificates);
        var refusedTarget = _temp.File("refused.raw");

        var refused = await CliRun.JsonAsync("clone", server.Url, refusedTarget, "--token-file", TokenFile("not-the-token"), "--ca-file", certificates.CaPem);
        var accepted = await CliRun.JsonAsync("clone", server.Url, _temp.File("clone.raw"), "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);
        var served = await server.Serving;

        Assert.Equal((int)ExitCode.NotFound, refused.Exit);
        Assert.Contains("token was refused", refused.Result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(refusedTarget));
        Assert.False(File.Exists(refusedTarget + ".partial"));
        Assert.Equal(0, accepted.Exit);
        Assert.Equal(1, served.RefusedConnections);
    }

    [Fact]
    public async Task Server_whose_certificate_is_not_from_the_given_ca_is_refused()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        var other = TestCertificates.Create(_temp.Path, "other");
        await using var server = await StartServerAsync(certificates);
        var target = _temp.File("clone.raw");

        var (exit, result, _) = await CliRun.JsonAsync("clone", server.Url, target, "--token-file", TokenFile(Token), "--ca-file", other.CaPem);

        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("not signed by the given CA", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.False(server.Serving.IsCompleted);
    }

    [Fact]
    public async Task Tls_server_name_is_checked_instead_of_the_dialled_address()
    {
        // The operator dials a pod IP known only after the certificate was made, so it names the certificate instead.
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        await using var server = await StartServerAsync(certificates);

        var wrong = await CliRun.JsonAsync("clone", server.Url, _temp.File("wrong.raw"), "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem, "--tls-server-name", "transfer.other.invalid");
        var named = await CliRun.JsonAsync("clone", server.Url, _temp.File("named.raw"), "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem, "--tls-server-name", "localhost");

        Assert.Equal((int)ExitCode.NotFound, wrong.Exit);
        Assert.False(File.Exists(_temp.File("wrong.raw")));
        Assert.True(named.Exit == 0, named.Stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(_temp.File("named.raw")));
    }

    [Fact]
    public async Task Server_dying_mid_way_fails_the_clone_and_removes_the_half_written_file()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        await using var server = await StartServerAsync(certificates);
        using var proxy = new CuttingProxy(server.EndPoint, cutAfterBytes: 512 * 1024);
        var target = _temp.File("clone.raw");

        var (exit, result, _) = await CliRun.JsonAsync("clone", $"https://127.0.0.1:{proxy.Port}", target, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem);

        Assert.True(proxy.Cut.Task.IsCompleted, "the proxy never cut the connection");
        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("broke off", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
        Assert.Empty(Directory.GetFiles(_temp.Path, "clone*"));
    }

    [Fact]
    public async Task Serve_command_exits_0_after_one_transfer_with_the_data_hash_in_its_result()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");
        var port = FreePort();
        var serve = CliRun.JsonAsync("serve", sample.Path, "--listen", $"127.0.0.1:{port}", "--token-file", TokenFile(Token), "--tls-cert", certificates.CertPem, "--tls-key", certificates.KeyPem, "--timeout", "60s");
        var target = _temp.File("clone.raw");

        var client = await RetryUntilListeningAsync(() => CliRun.JsonAsync("clone", $"https://localhost:{port}", target, "--token-file", TokenFile(Token), "--ca-file", certificates.CaPem));
        var served = await serve.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, client.Exit);
        Assert.Equal(0, served.Exit);
        Assert.Equal("serve", served.Result.Command);
        Assert.Equal(client.Result.Copy!.Checksum, served.Result.Copy!.Checksum);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
    }

    [Fact]
    public async Task Serve_without_a_client_gives_up_after_the_timeout_with_exit_6()
    {
        var certificates = TestCertificates.Create(_temp.Path, "serve");

        var (exit, result, _) = await CliRun.JsonAsync("serve", sample.Path, "--listen", $"127.0.0.1:{FreePort()}", "--token-file", TokenFile(Token), "--tls-cert", certificates.CertPem, "--tls-key", certificates.KeyPem, "--timeout", "1s");

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains("no client fetched the disk", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_source_is_a_usage_error()
    {
        var (exit, result, _) = await CliRun.JsonAsync("clone", "http://127.0.0.1:1", _temp.File("clone.raw"), "--token-file", TokenFile(Token), "--ca-file", _temp.File("ca.pem"));

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("https://HOST:PORT", result.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The serve command binds asynchronously: retry the client while the port still refuses connections.</summary>
    private static async Task<(int Exit, AgentResult Result, string Stderr)> RetryUntilListeningAsync(Func<Task<(int Exit, AgentResult Result, string Stderr)>> run)
    {
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await run();
            if (outcome.Exit == 0 || attempt == 50 || !(outcome.Result.Error ?? string.Empty).Contains("not reachable", StringComparison.Ordinal))
            {
                return outcome;
            }

            await Task.Delay(100);
        }
    }

    private string TokenFile(string token)
    {
        var path = _temp.File($"token-{Guid.NewGuid():N}");
        File.WriteAllText(path, token + "\n");
        return path;
    }

    private async Task<RunningServer> StartServerAsync(TestCertificates certificates, string? disk = null)
    {
        var listening = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = new CancellationTokenSource();
        var serving = DiskServer.ServeAsync(
            new ServeRequest
            {
                DiskPath = disk ?? sample.Path,
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Token = TransferToken.FromFile(TokenFile(Token)),
                Certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificates.CertPem, certificates.KeyPem),
                Timeout = TimeSpan.FromMinutes(2),
                OnListening = listening.SetResult,
            },
            stop.Token);
        var endpoint = await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return new RunningServer(endpoint, serving, stop);
    }

    private sealed class RunningServer(IPEndPoint endpoint, Task<ServeResult> serving, CancellationTokenSource stop) : IAsyncDisposable
    {
        public IPEndPoint EndPoint { get; } = endpoint;

        public string Url => $"https://127.0.0.1:{EndPoint.Port}";

        public Task<ServeResult> Serving { get; } = serving;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Serving.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            stop.Dispose();
        }
    }
}
