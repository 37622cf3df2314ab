using System.CommandLine;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
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
            var engine = inspection.Root is null ? null : GuestEngineName.E2fsprogs;
            if (inspection.Root is null && GuestRootOpener.NeedsAppliance(inspection, GuestFileSystemOpener.Default))
            {
                // Only an appliance can look inside (xfs, btrfs, LVM): inspect the guest through it, read-only.
                // inspect names what it found: no root inside is a warning here, the writing commands refuse (exit 5).
                try
                {
                    using var guest = await GuestRootOpener.OpenAsync(inspection, GuestAccess.ReadOnly, GuestFileSystemOpener.Default, token).ConfigureAwait(false);
                    inspection = guest.Inspection;
                    engine = guest.Engine;
                }
                catch (ImprintException ex) when (ex.Code == ExitCode.Unsupported)
                {
                    inspection = inspection with { Warnings = [.. inspection.Warnings, ex.Message] };
                }
            }

            return new AgentResult
            {
                Command = "inspect",
                Engine = engine,
                Disk = inspection.ToDiskReport(),
                Guest = inspection.ToGuestReport(),
                Warnings = inspection.Warnings.Count > 0 ? inspection.Warnings : null,
            };
        }, ct));
        return command;
    }
}
