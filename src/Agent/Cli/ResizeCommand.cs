using System.CommandLine;
using Imprint.Agent.Resizing;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint resize DISK --size 20G [--partition N]</c>: grow file, partition and filesystem in place.</summary>
public static class ResizeCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk image or block device to grow in place" };
        var size = CommonOptions.Size("New disk size (e.g. 20G); omit to fill a device or a file that was already enlarged");
        var partition = CommonOptions.Partition();
        var command = new Command("resize", "Grow a disk: the image file, the partition table and the filesystem") { disk, size, partition };
        command.SetAction((parse, ct) => runner.RunAsync("resize", parse, async (_, token) =>
        {
            var request = new ResizeRequest(parse.GetValue(disk)!.FullName, CommonOptions.ParseSize(parse.GetValue(size)), CommonOptions.ParsePartition(parse.GetValue(partition)));
            var report = await DiskResizer.ResizeAsync(request, token).ConfigureAwait(false);
            return new AgentResult { Command = "resize", Engine = report.Engine, Resize = report };
        }, ct));
        return command;
    }
}
