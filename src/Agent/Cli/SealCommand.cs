using System.CommandLine;
using System.Text;
using Imprint.Agent.Disk;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Results;
using Imprint.Agent.Sealing;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint seal DISK [--operations LIST] [--list-operations] [--dry-run] [--shrink]</c>; the result records the final disk's digest.</summary>
public static class SealCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo?>("disk") { Description = "Raw disk image holding a Linux guest", Arity = ArgumentArity.ZeroOrOne };
        var operations = new Option<string?>("--operations") { Description = "Comma list: names, 'defaults', 'all', 'none', '-name' to drop one (default: defaults)" };
        var list = new Option<bool>("--list-operations") { Description = "List the operations and exit" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; write nothing" };
        var shrink = new Option<bool>("--shrink") { Description = "After sealing, shrink the disk to near its minimum (as 'imprint shrink')" };
        var command = new Command("seal", "Remove what clones must not share: host keys, machine-id, logs, histories, leases…") { disk, operations, list, dryRun, shrink };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(list))
            {
                await runner.Output.WriteAsync(ListOperations()).ConfigureAwait(false);
                return 0;
            }

            return await runner.RunAsync("seal", parse, async (_, token) =>
            {
                var path = parse.GetValue(disk)?.FullName ?? throw Errors.ImprintException.Usage("seal needs a DISK argument");
                var selected = SealOperationCatalog.Select(parse.GetValue(operations));
                var isDryRun = parse.GetValue(dryRun);
                if (!isDryRun)
                {
                    // Fail early, before planning, when the disk cannot be written.
                    using var probe = DiskImage.OpenWrite(path);
                }

                // Held for the whole run: a VM, another imprint or a concurrent customize on this disk makes it exit 6 first.
                using var diskLock = isDryRun ? ImageLock.Shared(path) : ImageLock.Exclusive(path);
                if (!isDryRun)
                {
                    // A seal killed inside its debugfs batch is rolled back first (under the lock), then sealed again.
                    await ExtUndoJournal.RecoverAsync(path, token).ConfigureAwait(false);
                }

                AgentResult sealing;
                {
                    var inspected = await DiskInspector.InspectAsync(path, token).ConfigureAwait(false);
                    using var guest = await GuestRootOpener.OpenAsync(inspected, isDryRun ? GuestAccess.ReadOnly : GuestAccess.ReadWrite, GuestFileSystemOpener.Default, token).ConfigureAwait(false);
                    var result = await Sealer.SealAsync(guest.FileSystem, selected, isDryRun, token).ConfigureAwait(false);
                    await guest.FileSystem.CommitAsync(token).ConfigureAwait(false);
                    var inspection = guest.Inspection;
                    sealing = new AgentResult
                    {
                        Command = "seal",
                        Engine = guest.Engine,
                        Guest = inspection.ToGuestReport(),
                        Changes = result.Changes,
                        Warnings = [.. inspection.Warnings, .. isDryRun ? new[] { "dry run: nothing was written" } : []],
                    };
                }

                // Shrink and digest once the guest is closed: the digest is the final disk's, the one clones must match.
                var shrunk = parse.GetValue(shrink)
                    ? await Shrinking.DiskShrinker.ShrinkAsync(new Shrinking.ShrinkRequest(path) { DryRun = isDryRun }, token).ConfigureAwait(false)
                    : null;
                if (isDryRun)
                {
                    return sealing with { Shrink = shrunk };
                }

                var digest = Integrity.DiskDigest.Compute(path, token);
                return sealing with
                {
                    Shrink = shrunk,
                    Digest = new DigestReport(digest.Digest, digest.DiskLength, digest.DataBytesRead, (long)digest.Elapsed.TotalMilliseconds),
                };
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    public static string ListOperations()
    {
        var text = new StringBuilder();
        foreach (var operation in SealOperationCatalog.All)
        {
            text.Append(operation.Name.PadRight(26)).Append(operation.EnabledByDefault ? "* " : "  ").AppendLine(operation.Description);
        }

        text.AppendLine("(* = in the default set)");
        return text.ToString();
    }
}
