using Imprint.Agent.Errors;
using Imprint.Agent.Inspection;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Inspection;

/// <summary>
/// <c>imprint fingerprint</c>: the hashes agree with <c>head -c 1M | sha256sum</c> / <c>dd … | sha256sum</c>, a copy on a
/// larger device fingerprints like the original with <c>--length</c>, a blank disk of the same size does not, and a
/// qcow2 reports its virtual size without being converted.
/// </summary>
public sealed class DiskFingerprinterTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Fingerprint_hashes_the_first_and_last_mib_as_sha256sum_does()
    {
        var disk = _temp.File("golden.raw");
        TestDisks.CreateGpt(disk, 24, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1);

        var (exit, result, _) = await CliRun.JsonAsync("fingerprint", disk);

        Assert.Equal(0, exit);
        var fingerprint = result.Fingerprint!;
        Assert.Equal(("raw", 24 * MiB, 24 * MiB), (fingerprint.Format, fingerprint.Size, fingerprint.Length));
        Assert.Equal(Sh.Run("sh", "-c", $"head -c 1048576 '{disk}' | sha256sum").Split(' ')[0], fingerprint.Head);
        Assert.Equal(Sh.Run("sh", "-c", $"tail -c 1048576 '{disk}' | sha256sum").Split(' ')[0], fingerprint.Tail);
        Assert.NotEqual(fingerprint.Head, fingerprint.Tail);
    }

    [Fact]
    public async Task Copy_on_a_larger_disk_matches_with_length_and_a_blank_disk_does_not()
    {
        var golden = _temp.File("golden.raw");
        TestDisks.CreateGpt(golden, 16, new PartitionSpec(0));
        var grown = _temp.File("grown.raw");
        File.Copy(golden, grown);
        await using (var stream = new FileStream(grown, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(40 * MiB);
        }

        var blank = _temp.File("blank.raw");
        TestDisks.CreateSparse(blank, 16 * MiB);

        var original = await DiskFingerprinter.ComputeAsync(golden, null, CancellationToken.None);
        var copy = await DiskFingerprinter.ComputeAsync(grown, 16 * MiB, CancellationToken.None);
        var empty = await DiskFingerprinter.ComputeAsync(blank, 16 * MiB, CancellationToken.None);

        Assert.Equal((original.Head, original.Tail, original.Length), (copy.Head, copy.Tail, copy.Length));
        Assert.Equal(40 * MiB, copy.Size);
        Assert.NotEqual(original.Head, empty.Head);
        Assert.NotEqual(original.Tail, empty.Tail);
    }

    [Fact]
    public async Task Qcow2_reports_its_virtual_size_and_no_hashes()
    {
        var image = _temp.File("disk.qcow2");
        Sh.Run("qemu-img", "create", "-q", "-f", "qcow2", image, "3G");

        var (exit, result, _) = await CliRun.JsonAsync("fingerprint", image);

        Assert.Equal(0, exit);
        Assert.Equal(("qcow2", 3L << 30), (result.Fingerprint!.Format, result.Fingerprint.Size));
        Assert.Null(result.Fingerprint.Head);
    }

    [Fact]
    public async Task Missing_disk_exits_3_and_a_directory_is_named()
    {
        var (missing, missingResult, _) = await CliRun.JsonAsync("fingerprint", _temp.File("none.raw"));
        var (directory, directoryResult, _) = await CliRun.JsonAsync("fingerprint", _temp.Path);

        Assert.Equal((int)ExitCode.NotFound, missing);
        Assert.Contains("does not exist", missingResult.Error, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotFound, directory);
        Assert.Contains("is a directory", directoryResult.Error, StringComparison.Ordinal);
    }
}
