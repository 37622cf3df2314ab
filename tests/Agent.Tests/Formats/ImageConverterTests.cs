using System.IO.Compression;
using Imprint.Agent.Errors;
using Imprint.Agent.Formats;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Formats;

public sealed class ImageConverterTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _temp = new();
    private readonly string _raw;

    public ImageConverterTests()
    {
        _raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(_raw, 32, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        TestDisks.MakeExt(_raw, 2, tree: tree);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("qcow2", ImageFormat.Qcow2)]
    [InlineData("vmdk", ImageFormat.Vmdk)]
    [InlineData("vhdx", ImageFormat.Vhdx)]
    [InlineData("vdi", ImageFormat.Vdi)]
    [InlineData("vpc", ImageFormat.Vpc)]
    public async Task Converts_each_container_format_back_to_the_identical_raw_disk(string qemuFormat, ImageFormat expected)
    {
        var container = _temp.File($"disk.{qemuFormat}");
        var options = qemuFormat == "vpc" ? new[] { "-o", "force_size=on" } : [];
        Sh.Run("qemu-img", ["convert", "-f", "raw", "-O", qemuFormat, .. options, _raw, container]);
        var target = _temp.File("out.raw");

        var result = await ImageConverter.ConvertToRawAsync(container, target);

        Assert.Equal(expected, ImageFormatDetector.Detect(container));
        Assert.Equal([expected], result.Formats);
        Assert.Equal(Sh.Sha256(_raw), Sh.Sha256(target));
        Sh.AssertGptValid(target);
    }

    [Fact]
    public async Task Reports_qemu_img_progress_up_to_completion()
    {
        var container = _temp.File("disk.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", _raw, container);
        var reports = new List<double>();

        await ImageConverter.ConvertToRawAsync(container, _temp.File("out.raw"), new SynchronousProgress<Imprint.Agent.Disk.CopyProgress>(p => reports.Add(p.Fraction)));

        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1], 3);
    }

    [Fact]
    public async Task Unpacks_gzip_compressed_raw()
    {
        var gz = _temp.File("disk.raw.gz");
        await using (var output = File.Create(gz))
        await using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        await using (var input = File.OpenRead(_raw))
        {
            await input.CopyToAsync(zip);
        }

        var target = _temp.File("out.raw");
        var result = await ImageConverter.ConvertToRawAsync(gz, target);

        Assert.Equal([ImageFormat.Gzip, ImageFormat.Raw], result.Formats);
        Assert.Equal(Sh.Sha256(_raw), Sh.Sha256(target));
    }

    [Fact]
    public async Task Unpacks_xz_compressed_qcow2()
    {
        var qcow = _temp.File("disk.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", _raw, qcow);
        Sh.Run("xz", "-T1", "-0", qcow);
        var target = _temp.File("out.raw");

        var result = await ImageConverter.ConvertToRawAsync(qcow + ".xz", target);

        Assert.Equal([ImageFormat.Xz, ImageFormat.Qcow2], result.Formats);
        Assert.Equal(Sh.Sha256(_raw), Sh.Sha256(target));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.partial"));
    }

    [Theory]
    [InlineData("qcow2", 100_000)]
    [InlineData("qcow2", 400_000)]
    [InlineData("vhdx", 2_000_000)]
    [InlineData("vmdk", 200_000)]
    [InlineData("vpc", 200_000)]
    public async Task Truncated_container_is_an_invalid_image_and_leaves_no_target(string qemuFormat, long cutAt)
    {
        // Pinned fact: `qemu-img convert` of a qcow2 cut in its data area succeeds and fills zeros; only
        // `qemu-img check` notices, so the converter must check first.
        var container = _temp.File($"disk.{qemuFormat}");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", qemuFormat, _raw, container);
        await using (var stream = File.OpenWrite(container))
        {
            stream.SetLength(cutAt);
        }

        var target = _temp.File("out.raw");
        var error = await Assert.ThrowsAsync<ImprintException>(() => ImageConverter.ConvertToRawAsync(container, target));

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains("disk.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Corrupt_xz_is_an_invalid_image_and_leaves_nothing_behind()
    {
        var xz = _temp.File("bad.raw.xz");
        await File.WriteAllBytesAsync(xz, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]);
        var target = _temp.File("out.raw");

        var error = await Assert.ThrowsAsync<ImprintException>(() => ImageConverter.ConvertToRawAsync(xz, target));

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.partial"));
    }

    [Fact]
    public async Task Existing_target_is_refused()
    {
        var target = _temp.File("out.raw");
        await File.WriteAllTextAsync(target, "x");

        var error = await Assert.ThrowsAsync<ImprintException>(() => ImageConverter.ConvertToRawAsync(_raw, target));

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Equal("x", await File.ReadAllTextAsync(target));
    }

    [Theory]
    [InlineData("    (45.03/100%)", 45.03)]
    [InlineData("(100.00/100%)", 100.0)]
    [InlineData("(0/100%)", 0.0)]
    public void Parses_qemu_img_progress_lines(string line, double expected) =>
        Assert.Equal(expected, ImageConverter.ParseQemuProgress(line));

    [Fact]
    public void Ignores_lines_that_are_not_progress() => Assert.Null(ImageConverter.ParseQemuProgress("qemu-img: warning"));
}
