using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Formats;

/// <summary>
/// <c>inspect</c>, <c>seal</c>, <c>resize</c> and <c>customize</c> given a container image say what it is and how to
/// convert it (exit 5), instead of reading its header as a raw disk with no partition table; the file is not changed.
/// </summary>
public sealed class RawDiskRequirementTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> CommandsAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "inspect", "seal", "resize", "customize" })
        {
            foreach (var format in new[] { "qcow2", "vmdk", "vhdx" })
            {
                data.Add(command, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandsAndFormats))]
    public async Task Disk_commands_refuse_a_container_image_and_name_the_conversion(string command, string format)
    {
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 8, new PartitionSpec(0));
        var image = _temp.File($"disk.{format}");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", format, raw, image);
        var hash = Sh.Sha256(image);
        string[] extra = command switch
        {
            "resize" => ["--size", "16M"],
            "customize" => ["--hostname", "clone-1"],
            _ => [],
        };

        var (exit, _, stderr) = await CliRun.RunAsync([command, image, .. extra]);

        Assert.True(exit == (int)ExitCode.Unsupported, $"exit {exit}: {stderr}");
        Assert.Contains($"is a {format} image, not a raw disk", stderr, StringComparison.Ordinal);
        Assert.Contains("imprint convert", stderr, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Inspect_still_reads_a_raw_disk()
    {
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 8, new PartitionSpec(0));

        var (exit, result, stderr) = await CliRun.JsonAsync("inspect", raw);

        Assert.True(exit == 0, stderr);
        Assert.Equal("gpt", result.Disk!.PartitionTable);
    }
}
