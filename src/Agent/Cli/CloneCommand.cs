using System.CommandLine;
using Imprint.Agent.Cloning;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint clone SOURCE TARGET [--size 20G] [--partition N] [--verify]</c>.</summary>
public static class CloneCommand
{
    public static Command Build(CommandRunner runner)
    {
        var source = new Argument<FileInfo>("source") { Description = "Golden disk (raw, qcow2, vmdk, vhdx, vdi, vpc; .gz/.xz too); never written" };
        var target = new Argument<FileInfo>("target") { Description = "New raw disk to create (or an existing block device)" };
        var size = CommonOptions.Size("Grow the clone to this size (e.g. 20G)");
        var partition = CommonOptions.Partition();
        var verify = new Option<bool>("--verify") { Description = "Re-read the copy and compare its hash with the source" };
        var command = new Command("clone", "Copy a golden disk (sparse), then grow it") { source, target, size, partition, verify };
        command.SetAction((parse, ct) => runner.RunAsync("clone", parse, async (context, token) =>
        {
            var progress = context.CreateProgress("copy");
            var request = new CloneRequest
            {
                Source = parse.GetValue(source)!.FullName,
                Target = parse.GetValue(target)!.FullName,
                Size = CommonOptions.ParseSize(parse.GetValue(size)),
                Partition = CommonOptions.ParsePartition(parse.GetValue(partition)),
                Verify = parse.GetValue(verify),
                Progress = progress,
            };
            var result = await DiskCloner.CloneAsync(request, afterCopy: null, token).ConfigureAwait(false);
            progress?.Complete();
            return new AgentResult { Command = "clone", Copy = result.Copy, Resize = result.Resize };
        }, ct));
        return command;
    }
}
