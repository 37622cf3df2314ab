using System.CommandLine;
using Imprint.Agent.Customization;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint customize DISK [--spec FILE] [--hostname H] … [--seal [--seal-operations LIST]] [--dry-run]</c>.</summary>
public static class CustomizeCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk image holding a Linux guest" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; write nothing" };
        var options = new CustomizeOptionsBinder();
        var command = new Command("customize", "Set hostname, network, users' keys, passwords, files… offline") { disk, dryRun };
        options.AddTo(command);
        command.SetAction((parse, ct) => runner.RunAsync("customize", parse, async (_, token) =>
        {
            var (spec, baseDirectory) = options.Build(parse);
            var run = new CustomizeOptions { DryRun = parse.GetValue(dryRun), BaseDirectory = baseDirectory, SealFirst = options.SealFirst(parse) };
            var (result, inspection) = await GuestCustomization.RunAsync(parse.GetValue(disk)!.FullName, spec, run, token).ConfigureAwait(false);
            return ToResult("customize", result, inspection.ToGuestReport());
        }, ct));
        return command;
    }

    public static AgentResult ToResult(string command, CustomizeResult result, GuestReport? guest) => new()
    {
        Command = command,
        Engine = result.Engine,
        Guest = guest,
        Changes = result.Changes,
        SshHostKeys = result.HostKeys.Count > 0 ? result.HostKeys : null,
        MachineId = result.MachineId,
        Warnings = result.DryRun ? ["dry run: nothing was written"] : null,
    };
}
