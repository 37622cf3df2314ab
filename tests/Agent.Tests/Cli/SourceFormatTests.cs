using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// <c>--source-format raw</c>: a raw disk whose first sector is a valid qcow2 header naming a backing file (a tenant's
/// qcow2 nested in a raw golden) is copied byte for byte and never read as qcow2; without the option it is refused.
/// </summary>
public sealed class SourceFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("clone")]
    [InlineData("convert")]
    public async Task Raw_source_format_copies_a_raw_disk_that_starts_with_a_qcow2_header_byte_for_byte(string command)
    {
        var source = RawDiskStartingWithQcow2Header();
        var output = _temp.File("out.raw");

        var (exit, _, stderr) = await CliRun.RunAsync(command, source, output, "--source-format", "raw");

        Assert.True(exit == 0, stderr);
        var cmp = Sh.RunResult("cmp", [source, output], accept: [0, 1]);
        Assert.True(cmp.ExitStatus == 0, $"output differs from the source: {cmp.StandardOutput}");
    }

    [Theory]
    [InlineData("clone")]
    [InlineData("convert")]
    public async Task Auto_source_format_reads_the_same_disk_as_qcow2_and_refuses_its_backing_file(string command)
    {
        var source = RawDiskStartingWithQcow2Header();
        var output = _temp.File("out.raw");

        var (exit, _, stderr) = await CliRun.RunAsync(command, source, output);

        Assert.Equal((int)ExitCode.InvalidImage, exit);
        Assert.Contains("host-secret", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Unknown_source_format_is_a_usage_error()
    {
        var source = RawDiskStartingWithQcow2Header();

        var (exit, _, stderr) = await CliRun.RunAsync("clone", source, _temp.File("out.raw"), "--source-format", "qcow2");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("--source-format", stderr, StringComparison.Ordinal);
    }

    /// <summary>A 4 MiB raw disk: a real qcow2 header (backing file /etc/host-secret) followed by random data.</summary>
    private string RawDiskStartingWithQcow2Header()
    {
        var header = _temp.File("nested.qcow2");
        Sh.Run("qemu-img", "create", "-f", "qcow2", "-u", "-b", "/etc/host-secret", "-F", "raw", header, "4M");
        var source = _temp.File("golden.raw");
        var bytes = new byte[4 * 1024 * 1024];
        new Random(10).NextBytes(bytes);
        var qcow = File.ReadAllBytes(header);
        qcow.AsSpan(0, Math.Min(qcow.Length, 64 * 1024)).CopyTo(bytes);
        File.WriteAllBytes(source, bytes);
        return source;
    }
}
