using System.CommandLine;
using Imprint.Agent.Cloning;
using Imprint.Agent.Customization;
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
        var command = new Command("clone", "Copy a golden disk (sparse), grow it, and customize it") { source, target, size, partition, verify };
        var customize = new CustomizeOptionsBinder();
        customize.AddTo(command);
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
            // Parse and validate the customization before copying, so a bad spec costs nothing.
            var wanted = customize.Any(parse) ? customize.Build(parse) : default;
            CustomizeResult? customized = null;
            GuestReport? guest = null;
            Func<string, CancellationToken, Task>? afterCopy = wanted.Spec is null ? null : async (path, t) =>
            {
                var (result, inspection) = await GuestCustomization.RunAsync(path, wanted.Spec, new CustomizeOptions { BaseDirectory = wanted.BaseDirectory }, t).ConfigureAwait(false);
                customized = result;
                guest = inspection.ToGuestReport();
            };
            var clone = await DiskCloner.CloneAsync(request, afterCopy, token).ConfigureAwait(false);
            progress?.Complete();
            var report = customized is null ? new AgentResult { Command = "clone" } : CustomizeCommand.ToResult("clone", customized, guest);
            return report with { Copy = clone.Copy, Resize = clone.Resize };
        }, ct));
        return command;
    }
}
