using System.CommandLine;

namespace Imprint.Agent.Cli;

/// <summary>The <c>imprint</c> command tree. The engine knows nothing of it; commands only parse and call the engine.</summary>
public static class ImprintCli
{
    public static RootCommand Build(CommandRunner runner)
    {
        var root = new RootCommand("imprint — seal, clone, customize and grow VM disk images offline, without root")
        {
            GlobalOptions.Json,
            GlobalOptions.ResultFile,
            GlobalOptions.Progress,
        };
        root.Subcommands.Add(InspectCommand.Build(runner));
        root.Subcommands.Add(SealCommand.Build(runner));
        root.Subcommands.Add(CustomizeCommand.Build(runner));
        root.Subcommands.Add(CloneCommand.Build(runner));
        root.Subcommands.Add(ResizeCommand.Build(runner));
        root.Subcommands.Add(ConvertCommand.Build(runner));
        root.Subcommands.Add(ImportCommand.Build(runner));
        root.Subcommands.Add(ServeCommand.Build(runner));
        root.Subcommands.Add(FingerprintCommand.Build(runner));
        root.Subcommands.Add(DigestCommand.Build(runner));
        root.Subcommands.Add(ShrinkCommand.Build(runner));
        root.Subcommands.Add(RunCommand.Build(runner));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var runner = new CommandRunner(output, error);
        var root = Build(runner);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            // System.CommandLine exits 1 on parse errors; our documented code for a wrong command line is 2.
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync($"imprint: {parseError.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'imprint --help' for usage.").ConfigureAwait(false);
            return (int)Errors.ExitCode.Usage;
        }

        // Commands report their own errors; anything escaping them is a bug, reported in one line (no stack trace).
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"imprint: error: {Errors.InternalErrorReport.Summary(ex)}").ConfigureAwait(false);
            if (Errors.InternalErrorReport.DebugEnabled)
            {
                await error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return (int)Errors.ExitCode.InternalError;
        }
    }
}
