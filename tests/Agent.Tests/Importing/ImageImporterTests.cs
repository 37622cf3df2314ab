using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;
using Imprint.Agent.Tests.Transfer;

namespace Imprint.Agent.Tests.Importing;

/// <summary><c>imprint import</c> against a real Kestrel server on 127.0.0.1, with qemu-img, xz and sgdisk as oracles.</summary>
public sealed class ImageImporterTests(SampleDisk sample) : IClassFixture<SampleDisk>, IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private ImageServer _server = null!;

    public async Task InitializeAsync() => _server = await ImageServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Raw_image_lands_byte_identical_sparse_and_with_a_clean_gpt()
    {
        var url = _server.Add("disk.raw", sample.Path);
        var target = _temp.File("out.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Sh.AssertGptValid(target);
        Assert.Equal(["raw"], result.Copy!.SourceFormats);
        Assert.Equal(new FileInfo(sample.Path).Length, result.Copy.SourceSize);
        Assert.Equal(new FileInfo(sample.Path).Length, result.Copy.BytesRead);
        Assert.Equal($"sha256:{sample.Sha256.ToLowerInvariant()}", result.Copy.Checksum);
        Assert.True(SampleDisk.AllocatedBytes(target) <= sample.Allocated + (1 << 20), $"target allocates {SampleDisk.AllocatedBytes(target)} bytes, source {sample.Allocated}");
        Assert.Equal([target], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Qcow2_is_downloaded_to_scratch_converted_and_the_scratch_file_removed()
    {
        var qcow = _temp.File("served.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", sample.Path, qcow);
        var url = _server.Add("disk.qcow2", qcow);
        var folder = Directory.CreateDirectory(_temp.File("pvc")).FullName;
        var target = Path.Combine(folder, "disk.img");

        var (exit, stdout, stderr) = await CliRun.RunAsync("import", "--url", url.ToString(), target, "--json", "--progress", "lines");

        var result = Imprint.Agent.Results.ResultWriter.Deserialize(stdout);
        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Sh.AssertGptValid(target);
        Assert.Equal(["qcow2"], result.Copy!.SourceFormats);
        Assert.Contains("{\"progress\":{\"stage\":\"download\",\"fraction\":1,", stderr, StringComparison.Ordinal);
        Assert.Contains("{\"progress\":{\"stage\":\"convert\"", stderr, StringComparison.Ordinal);
        Assert.Equal(new FileInfo(qcow).Length, result.Copy.BytesRead);
        Assert.Equal([target], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Xz_image_streams_to_raw_and_the_checksum_of_the_compressed_file_verifies()
    {
        var xz = _temp.File("served.raw.xz");
        Sh.RunResult("bash", ["-c", $"xz -T0 -c '{sample.Path}' > '{xz}'"]);
        var url = _server.Add("disk.raw.xz", xz);
        var target = _temp.File("out.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target, "--checksum", "sha256:" + Sh.Sha256(xz).ToLowerInvariant());

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.Equal(["xz", "raw"], result.Copy!.SourceFormats);
        Assert.Equal($"sha256:{Sh.Sha256(xz).ToLowerInvariant()}", result.Copy.Checksum);
    }

    [Fact]
    public async Task Sha512_checksum_is_accepted_when_it_matches()
    {
        var url = _server.Add("disk.raw", sample.Path);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(sample.Path)));

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), _temp.File("out.raw"), "--checksum", "sha512:" + expected);

        Assert.True(exit == 0, stderr);
        Assert.Equal("sha512:" + expected, result.Copy!.Checksum);
    }

    [Fact]
    public async Task Checksum_mismatch_exits_4_and_leaves_nothing_behind()
    {
        var url = _server.Add("disk.raw", sample.Path);
        var target = _temp.File("out.raw");
        var wrong = new string('0', 64);

        var (exit, result, _) = await CliRun.JsonAsync("import", "--url", url.ToString(), target, "--checksum", "sha256:" + wrong);

        Assert.Equal((int)ExitCode.InvalidImage, exit);
        Assert.StartsWith($"checksum mismatch: expected sha256:{wrong} got sha256:{sample.Sha256.ToLowerInvariant()}", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Checksum_mismatch_of_a_qcow2_leaves_the_old_target_and_no_scratch_file()
    {
        var qcow = _temp.File("served.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", sample.Path, qcow);
        var url = _server.Add("disk.qcow2", qcow);
        var folder = Directory.CreateDirectory(_temp.File("pvc")).FullName;
        var target = Path.Combine(folder, "disk.img");
        await File.WriteAllTextAsync(target, "previous disk");

        var (exit, _, _) = await CliRun.JsonAsync("import", "--url", url.ToString(), target, "--overwrite", "--checksum", "sha256:" + new string('a', 64));

        Assert.Equal((int)ExitCode.InvalidImage, exit);
        Assert.Equal("previous disk", await File.ReadAllTextAsync(target));
        Assert.Equal([target], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Missing_url_exits_3_source_not_found_without_printing_the_query()
    {
        var target = _temp.File("out.raw");

        var (exit, result, _) = await CliRun.JsonAsync("import", "--url", new Uri(_server.BaseUri, "nope.raw?X-Signature=s3cr3t").ToString(), target);

        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("source not found: HTTP 404", result.Error, StringComparison.Ordinal);
        Assert.Contains("/nope.raw", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Error, StringComparison.Ordinal); // signed URLs carry credentials in the query
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Unreachable_server_is_retried_then_exits_3()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (exit, result, _) = await CliRun.JsonAsync("import", "--url", $"http://127.0.0.1:{port}/disk.raw", _temp.File("out.raw"), "--retries", "2");

        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("source unreachable", result.Error, StringComparison.Ordinal);
        Assert.Contains("gave up after 2 tries", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_dropped_mid_way_resumes_with_a_range_request()
    {
        _server.CutResponses = 1;
        _server.CutAfterBytes = 3 * 1024 * 1024;
        var url = _server.Add("disk.raw", sample.Path);
        var target = _temp.File("out.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target, "--checksum", "sha256:" + sample.Sha256.ToLowerInvariant());

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        // Kestrel's abort discards what it had buffered, so the resume point is wherever the client really stopped.
        var ranges = _server.Requests.Select(r => r.Range).ToList();
        Assert.Equal(2, ranges.Count);
        Assert.Null(ranges[0]);
        var resumedAt = long.Parse(ranges[1]!["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedAt, 1, _server.CutAfterBytes);
        Assert.Equal(new FileInfo(sample.Path).Length, result.Copy!.BytesRead);
    }

    [Fact]
    public async Task Connection_dropped_on_a_server_without_ranges_downloads_again_and_skips()
    {
        _server.CutResponses = 1;
        _server.IgnoreRange = true;
        var url = _server.Add("disk.raw", sample.Path);
        var target = _temp.File("out.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        // Everything before the cut came twice: once before it, once skipped in the second, whole response.
        Assert.InRange(result.Copy!.BytesRead, new FileInfo(sample.Path).Length + 1, new FileInfo(sample.Path).Length + _server.CutAfterBytes);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Header_file_reaches_the_server_and_its_value_is_never_printed()
    {
        const string secret = "Bearer s3cr3t-t0ken-value";
        _server.RequiredAuthorization = secret;
        var url = _server.Add("disk.raw", sample.Path);
        var headers = _temp.File("headers");
        await File.WriteAllTextAsync(headers, $"# from a Secret\nAuthorization: {secret}\nX-Extra: 1\n");

        var denied = await CliRun.RunAsync("import", "--url", url.ToString(), _temp.File("denied.raw"), "--json", "--progress", "lines");
        var (exit, stdout, stderr) = await CliRun.RunAsync("import", "--url", url.ToString(), _temp.File("out.raw"), "--header-file", headers, "--json", "--progress", "lines");

        Assert.Equal((int)ExitCode.NotFound, denied.Exit);
        Assert.Contains("HTTP 401", denied.Stdout, StringComparison.Ordinal);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(secret, _server.Requests.Last().Authorization);
        Assert.DoesNotContain("s3cr3t", stdout + stderr + denied.Stdout + denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"download\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_with_a_self_signed_ca_given_by_ca_file_is_trusted_and_without_it_refused()
    {
        var certificates = TestCertificates.Create(_temp.Path, "import");
        await using var https = await ImageServer.StartAsync(certificates.Server);
        var url = https.Add("disk.raw", sample.Path);
        var target = _temp.File("out.raw");

        var untrusted = await CliRun.JsonAsync("import", "--url", url.ToString(), _temp.File("untrusted.raw"));
        var (exit, _, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target, "--ca-file", certificates.CaPem);

        Assert.Equal((int)ExitCode.NotFound, untrusted.Exit);
        Assert.Contains("not trusted", untrusted.Result.Error, StringComparison.Ordinal);
        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
    }

    [Fact]
    public async Task Existing_target_is_refused_without_overwrite_and_replaced_with_it()
    {
        var url = _server.Add("disk.raw", sample.Path);
        var target = _temp.File("out.raw");
        await File.WriteAllTextAsync(target, "previous disk");

        var refused = await CliRun.JsonAsync("import", "--url", url.ToString(), target);
        var replaced = await CliRun.JsonAsync("import", "--url", url.ToString(), target, "--overwrite");

        Assert.Equal((int)ExitCode.Conflict, refused.Exit);
        Assert.Equal(0, replaced.Exit);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
    }

    [Fact]
    public async Task Malformed_checksum_is_a_usage_error()
    {
        var (exit, result, _) = await CliRun.JsonAsync("import", "--url", _server.BaseUri + "x", _temp.File("out.raw"), "--checksum", "md5:abc");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("sha256:HEX", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzipped_qcow2_is_decompressed_on_the_fly_then_converted()
    {
        var qcow = _temp.File("served.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", sample.Path, qcow);
        Sh.Run("gzip", "-1", qcow);
        var url = _server.Add("disk.qcow2.gz", qcow + ".gz");
        var target = _temp.File("out.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.Equal(["gzip", "qcow2"], result.Copy!.SourceFormats);
        Assert.Equal([target, qcow + ".gz"], Directory.GetFiles(_temp.Path).Order(StringComparer.Ordinal).ToArray());
    }

    [LoopDeviceFact]
    public async Task Block_device_target_is_written_in_place_and_never_removed()
    {
        using var device = new LoopDevice(_temp.File("device.backing"), new FileInfo(sample.Path).Length);
        var url = _server.Add("disk.raw", sample.Path);

        var mismatch = await CliRun.JsonAsync("import", "--url", url.ToString(), device.Path, "--checksum", "sha256:" + new string('0', 64));
        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), device.Path);

        Assert.Equal((int)ExitCode.InvalidImage, mismatch.Exit);
        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(device.Path));
        Assert.False(File.Exists(device.Path + ".partial"));
        Assert.Equal(sample.Sha256, Sh.Sha256(device.Path)); // the old 0xAB pattern is gone from the holes too
        Assert.Equal(new FileInfo(sample.Path).Length, result.Copy!.SourceSize);
    }

    [Fact]
    public async Task Fixed_vhd_is_recognised_by_its_footer_after_streaming_and_converted()
    {
        var vhd = _temp.File("served.vhd");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "vpc", "-o", "subformat=fixed,force_size=on", sample.Path, vhd);
        var url = _server.Add("disk.vhd", vhd);
        var target = _temp.File("out.raw");

        var (exit, result, stderr) = await CliRun.JsonAsync("import", "--url", url.ToString(), target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(["vpc"], result.Copy!.SourceFormats);
        Assert.Equal(sample.Sha256, Sh.Sha256(target));
        Assert.Equal([target, vhd], Directory.GetFiles(_temp.Path).Order(StringComparer.Ordinal).ToArray());
    }
}
