using Imprint.Agent.Errors;
using Imprint.Agent.Formats;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Importing;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Formats;

/// <summary>What a container image must be before qemu-img converts it: self-contained, and of a sane virtual size.</summary>
public sealed class ContainerImageCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("qcow2", "-o", "cluster_size=2M")]
    [InlineData("vmdk")]
    public async Task Convert_refuses_an_exabyte_virtual_size_as_malformed(string format, params string[] options)
    {
        var image = _temp.File($"huge.{format}");
        Sh.Run("qemu-img", ["create", "-f", format, .. options, image, "1E"]);
        var target = _temp.File("out.raw");

        var (exit, _, stderr) = await CliRun.RunAsync("convert", image, target);

        Assert.True(exit == (int)ExitCode.InvalidImage, $"exit {exit}: {stderr}");
        Assert.Contains("virtual size of 1152921504606846976 bytes", stderr, StringComparison.Ordinal);
        Assert.Contains("exceeds the maximum of 64 TiB", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Import_refuses_an_exabyte_qcow2_and_removes_the_scratch_file()
    {
        var image = _temp.File("huge.qcow2");
        Sh.Run("qemu-img", "create", "-f", "qcow2", "-o", "cluster_size=2M", image, "1E");
        await using var server = await ImageServer.StartAsync();
        var folder = Directory.CreateDirectory(_temp.File("pvc")).FullName;

        var (exit, _, stderr) = await CliRun.RunAsync("import", "--url", server.Add("huge.qcow2", image).ToString(), Path.Combine(folder, "disk.img"));

        Assert.True(exit == (int)ExitCode.InvalidImage, $"exit {exit}: {stderr}");
        Assert.Contains("exceeds the maximum of 64 TiB", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task A_virtual_size_at_the_limit_passes_the_check()
    {
        var image = _temp.File("big.qcow2");
        Sh.Run("qemu-img", "create", "-f", "qcow2", image, "64T");

        var size = await ContainerImageCheck.InspectAsync(image, ImageFormat.Qcow2);

        Assert.Equal(ContainerImageCheck.MaxVirtualSize, size);
    }

    [Fact]
    public void Qemu_img_given_the_checked_name_opens_no_backing_file_even_if_one_is_written()
    {
        // The second lock behind the header reader: with "backing": null qemu-img reads zeros where the header says
        // "take it from the backing file". The plain name shows what would leak otherwise.
        var canary = _temp.File("canary.raw");
        File.WriteAllBytes(canary, Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i % 251 + 1)).ToArray());
        var image = _temp.File("backed.qcow2");
        Sh.Run("qemu-img", "create", "-f", "qcow2", "-b", canary, "-F", "raw", image, "1M");
        var guarded = _temp.File("guarded.raw");
        var plain = _temp.File("plain.raw");

        Sh.Run("qemu-img", "convert", "-f", "qcow2", "-O", "raw", ContainerImageCheck.QemuImageName(image, ImageFormat.Qcow2), guarded);
        Sh.Run("qemu-img", "convert", "-f", "qcow2", "-O", "raw", image, plain);

        Assert.DoesNotContain(File.ReadAllBytes(guarded), b => b != 0);
        Assert.Equal(File.ReadAllBytes(canary), File.ReadAllBytes(plain)[..(64 * 1024)]);
    }

    [Theory]
    [InlineData("vmdk", "subformat=monolithicSparse")]
    [InlineData("vmdk", "subformat=streamOptimized")]
    [InlineData("qcow2", "compat=0.10")]
    public async Task A_self_contained_image_still_converts_byte_identical(string format, string options)
    {
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 8, new PartitionSpec(0));
        var image = _temp.File($"disk.{format}");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", format, "-o", options, raw, image);
        var target = _temp.File("out.raw");

        var (exit, _, stderr) = await CliRun.RunAsync("convert", image, target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(Sh.Sha256(raw), Sh.Sha256(target));
    }

    [Fact]
    public async Task Import_of_a_vmdk_whose_extent_line_names_another_file_name_still_converts()
    {
        // A sparse VMDK's embedded descriptor names the file it was created as; the download lands under another
        // name. qemu ignores that line (the file is its own extent), so it is no reference and must not be refused.
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 8, new PartitionSpec(0));
        var image = _temp.File("original-name.vmdk");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "vmdk", raw, image);
        await using var server = await ImageServer.StartAsync();
        var target = _temp.File("imported.raw");

        var (exit, _, stderr) = await CliRun.RunAsync("import", "--url", server.Add("served.vmdk", image).ToString(), target);

        Assert.True(exit == 0, stderr);
        Assert.Equal(Sh.Sha256(raw), Sh.Sha256(target));
    }
}
