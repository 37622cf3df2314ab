using System.CommandLine;
using Imprint.Agent.Inspection;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint inspect DISK</c>: partitions, filesystems and the guest OS (reads only).</summary>
public static class InspectCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk image or block device" };
        var command = new Command("inspect", "Show partitions, filesystems and the guest operating system") { disk };
        command.SetAction((parse, ct) => runner.RunAsync("inspect", parse, async (_, token) =>
        {
            var inspection = await DiskInspector.InspectAsync(parse.GetValue(disk)!.FullName, token).ConfigureAwait(false);
            return new AgentResult
            {
                Command = "inspect",
                Disk = inspection.ToDiskReport(),
                Guest = inspection.ToGuestReport(),
                Warnings = inspection.Warnings.Count > 0 ? inspection.Warnings : null,
            };
        }, ct));
        return command;
    }
}
