using System.CommandLine;
using Imprint.Agent.Results;
using Imprint.Agent.Shrinking;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint shrink DISK [--partition N] [--dry-run]</c>: shrink the root ext filesystem, its partition and the file.</summary>
public static class ShrinkCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk image (a file; ext root on the last partition, or a bare ext image)" };
        var partition = new Option<string?>("--partition") { Description = "Partition to shrink: a number, or 'auto' (default) for the guest's root partition" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report old, new and minimum sizes; write nothing" };
        var command = new Command("shrink", "Shrink a disk to near its minimum: e2fsck, resize2fs, the last partition (backup GPT moved), the file") { disk, partition, dryRun };
        command.SetAction((parse, ct) => runner.RunAsync("shrink", parse, async (_, token) =>
        {
            var request = new ShrinkRequest(parse.GetValue(disk)!.FullName)
            {
                Partition = CommonOptions.ParsePartition(parse.GetValue(partition)),
                DryRun = parse.GetValue(dryRun),
            };
            var report = await DiskShrinker.ShrinkAsync(request, token).ConfigureAwait(false);
            return new AgentResult { Command = "shrink", Shrink = report, Warnings = report.DryRun ? ["dry run: nothing was written"] : null };
        }, ct));
        return command;
    }
}
