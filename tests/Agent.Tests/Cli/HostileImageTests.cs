using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Formats;
using Imprint.Agent.Tests.Importing;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// Images that name a host file (backing file, external data file, VMDK extent or parent; absolute and relative),
/// through the real CLI: <c>convert</c>, <c>clone</c> and <c>import</c> over loopback HTTP each refuse them with exit 4
/// and the name in the message, leave no file behind, and no output anywhere holds a byte of the canary.
/// </summary>
public sealed class HostileImageTests(HostileImages images) : IClassFixture<HostileImages>, IAsyncLifetime
{
    private ImageServer _server = null!;

    public async Task InitializeAsync() => _server = await ImageServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(HostileImages.Cases), MemberType = typeof(HostileImages))]
    public async Task Convert_refuses_an_image_that_names_another_file(string name)
    {
        var output = images.NewOutputFolder();

        var (exit, _, stderr) = await CliRun.RunAsync("convert", images.Image(name), Path.Combine(output, "disk.raw"));

        AssertRefused(name, exit, stderr, output);
    }

    [Theory]
    [MemberData(nameof(HostileImages.Cases), MemberType = typeof(HostileImages))]
    public async Task Clone_refuses_an_image_that_names_another_file(string name)
    {
        var output = images.NewOutputFolder();

        var (exit, _, stderr) = await CliRun.RunAsync("clone", images.Image(name), Path.Combine(output, "disk.raw"));

        AssertRefused(name, exit, stderr, output);
    }

    [Theory]
    [InlineData("qcow2-backing-relative")]
    [InlineData("vmdk-flat-absolute")]
    public async Task Clone_with_a_size_refuses_before_sizing_the_target(string name)
    {
        var output = images.NewOutputFolder();

        var (exit, _, stderr) = await CliRun.RunAsync("clone", images.Image(name), Path.Combine(output, "disk.raw"), "--size", "2M");

        AssertRefused(name, exit, stderr, output);
    }

    [Theory]
    [MemberData(nameof(HostileImages.Cases), MemberType = typeof(HostileImages))]
    public async Task Import_refuses_a_downloaded_image_that_names_another_file_and_removes_the_scratch_file(string name)
    {
        var url = _server.Add(name, images.Image(name));
        var output = images.NewOutputFolder();

        var (exit, _, stderr) = await CliRun.RunAsync("import", "--url", url.ToString(), Path.Combine(output, "disk.img"));

        AssertRefused(name, exit, stderr, output);
        Assert.Contains(url.ToString(), stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qcow2-backing")]
    [InlineData("qcow2-data-file")]
    [InlineData("vmdk-flat")]
    [InlineData("vmdk-sparse")]
    public async Task The_named_file_is_never_opened(string kind)
    {
        // Images made while the named path is a plain file, which is then swapped for a pipe that reports any open.
        var folder = images.NewOutputFolder();
        var named = Path.Combine(folder, "named");
        await File.WriteAllBytesAsync(named, new byte[64 * 1024]);
        var image = Path.Combine(folder, "image");
        switch (kind)
        {
            case "qcow2-backing":
                Sh.Run("qemu-img", "create", "-f", "qcow2", "-b", named, "-F", "raw", image, "1M");
                break;
            case "qcow2-data-file":
                Sh.Run("qemu-img", "create", "-f", "qcow2", "-o", $"data_file={named},data_file_raw=on", image, "1M");
                break;
            default:
                var extent = kind == "vmdk-flat" ? $"FLAT \"{named}\" 0" : $"SPARSE \"{named}\"";
                await File.WriteAllTextAsync(image, $"# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 128 {extent}\n");
                break;
        }

        File.Delete(named);
        using var watch = new FifoWatch(named);
        var url = _server.Add($"watched-{kind}", image);

        var convert = await CliRun.RunAsync("convert", image, Path.Combine(folder, "convert.raw"));
        var clone = await CliRun.RunAsync("clone", image, Path.Combine(folder, "clone.raw"));
        var import = await CliRun.RunAsync("import", "--url", url.ToString(), Path.Combine(folder, "import.raw"));

        Assert.False(watch.WasOpened, $"'{named}' was opened");
        Assert.All(new[] { convert.Exit, clone.Exit, import.Exit }, exit => Assert.Equal((int)ExitCode.InvalidImage, exit));
    }

    [Fact]
    public void The_pipe_watch_sees_qemu_img_info_open_a_vmdk_extent()
    {
        // The control for the test above, and the reason images are read here first: qemu-img info opens extents.
        var folder = images.NewOutputFolder();
        var named = Path.Combine(folder, "named");
        var image = Path.Combine(folder, "image.vmdk");
        File.WriteAllText(image, $"# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 128 FLAT \"{named}\" 0\n");
        using var watch = new FifoWatch(named);

        Sh.RunResult("qemu-img", ["info", "-f", "vmdk", image], accept: [0, 1]);

        Assert.True(watch.WasOpened);
    }

    private void AssertRefused(string name, int exit, string stderr, string output)
    {
        Assert.True(exit == (int)ExitCode.InvalidImage, $"exit {exit}: {stderr}");
        Assert.Contains("refers to other files", stderr, StringComparison.Ordinal);
        Assert.Contains(images.Named[name], stderr, StringComparison.Ordinal);
        images.AssertNoCanaryIn(output);
        Assert.Empty(Directory.GetFileSystemEntries(output));
        Assert.Equal(images.CanaryBytes, File.ReadAllBytes(images.Canary));
    }
}
