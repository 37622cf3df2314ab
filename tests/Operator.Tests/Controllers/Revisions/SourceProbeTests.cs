using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Revisions;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.Controllers.Revisions;

/// <summary>The cheap look at a source, against a real loopback HTTP server whose files the test replaces.</summary>
public sealed class SourceProbeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imprint-probe-").FullName;
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Without_a_checksum_file_head_headers_are_learned_first_then_a_replaced_file_is_a_change()
    {
        await using var server = await ChangingFileServer.StartAsync();
        var url = server.Serve("disk.qcow2", Write("a.qcow2", 1000));
        var source = new HttpSource { Url = url.ToString(), Checksum = "sha256:" + new string('0', 64) };
        var policy = new UpdatePolicy { Schedule = "0 * * * *" };
        var probe = new SourceProbe(_http);
        var current = new GoldenImageRevision { Name = "r1", Claim = "g-golden" };

        var first = await probe.CheckAsync(source, policy, current, null, CancellationToken.None);
        current.SourceVersion = first.Version;
        var same = await probe.CheckAsync(source, policy, current, null, CancellationToken.None);
        server.Serve("disk.qcow2", Write("b.qcow2", 2000));
        var replaced = await probe.CheckAsync(source, policy, current, null, CancellationToken.None);

        Assert.False(first.Changed);
        Assert.Contains("etag=", first.Version, StringComparison.Ordinal);
        Assert.Contains("length=1000", first.Version, StringComparison.Ordinal);
        Assert.False(same.Changed);
        Assert.True(replaced.Changed);
        Assert.Contains("length=2000", replaced.Version, StringComparison.Ordinal);
        // Only HEADs: nothing was downloaded.
        Assert.All(server.Requests, r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task A_checksum_file_line_differing_from_the_current_revisions_is_a_change()
    {
        await using var server = await ChangingFileServer.StartAsync();
        var hex = new string('a', 64);
        var sums = server.Serve("SHA256SUMS", WriteText("SHA256SUMS", $"{hex}  disk.qcow2\n"));
        var source = new HttpSource { Url = new Uri(server.BaseAddress, "disk.qcow2").ToString(), Checksum = "sha256:" + hex };
        var policy = new UpdatePolicy { Schedule = "0 * * * *", ChecksumUrl = sums.ToString() };
        var probe = new SourceProbe(_http);

        var same = await probe.CheckAsync(source, policy, new GoldenImageRevision { Name = "r1", Claim = "c", SourceChecksum = "sha256:" + hex.ToUpperInvariant() }, null, CancellationToken.None);
        var other = await probe.CheckAsync(source, policy, new GoldenImageRevision { Name = "r1", Claim = "c", SourceChecksum = "sha256:" + new string('b', 64) }, null, CancellationToken.None);

        Assert.False(same.Changed);
        Assert.True(other.Changed);
        Assert.Equal("sha256:" + hex, other.Checksum);
        Assert.Equal([("GET", "/SHA256SUMS"), ("GET", "/SHA256SUMS")], server.Requests);
    }

    [Theory]
    [InlineData("missing", "HTTP 404")]
    [InlineData("no-line", "has no line for disk.qcow2")]
    public async Task A_checksum_file_that_cannot_be_read_or_lacks_the_image_is_a_clear_failure(string which, string expected)
    {
        await using var server = await ChangingFileServer.StartAsync();
        server.Serve("SHA256SUMS", WriteText("SHA256SUMS", $"{new string('a', 64)}  other.qcow2\n"));
        var sums = new Uri(server.BaseAddress, which == "missing" ? "NOPE" : "SHA256SUMS");
        var source = new HttpSource { Url = new Uri(server.BaseAddress, "disk.qcow2").ToString(), Checksum = "sha256:" + new string('a', 64) };

        var error = await Assert.ThrowsAsync<SourceProbeException>(() =>
            new SourceProbe(_http).CheckAsync(source, new UpdatePolicy { Schedule = "0 * * * *", ChecksumUrl = sums.ToString() }, null, null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(sums.ToString(), error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, int bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    private string WriteText(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
