using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Imprint.Agent.Cli;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;

namespace Imprint.Agent.Plans;

/// <summary>
/// Runs a plan's steps in order in this process: each step's arguments are parsed by the same command tree as on the
/// command line and its command runs as it would alone, its result captured instead of printed. Before each step a
/// progress line names it (so the operator sees which step runs even when the step reports no progress of its own);
/// after it, its full result goes to the log. The first failing step stops the plan.
/// </summary>
public sealed class PlanExecutor(TextWriter log, ProgressMode progress)
{
    /// <summary>The command names a plan step may use.</summary>
    public static IReadOnlySet<string> Commands { get; } =
        ImprintCli.Build(new CommandRunner(TextWriter.Null, TextWriter.Null)).Subcommands.Select(c => c.Name).Where(n => n != "run").ToHashSet(StringComparer.Ordinal);

    /// <summary>Runs every step; returns the plan's result when all succeeded, throws <see cref="PlanStepFailedException"/> otherwise.</summary>
    public async Task<AgentResult> RunAsync(PlanDocument plan, CancellationToken cancellationToken)
    {
        var runner = new CommandRunner(TextWriter.Null, log);
        var root = ImprintCli.Build(runner);
        var configuration = new InvocationConfiguration { Output = TextWriter.Null, Error = log, EnableDefaultExceptionHandler = false };
        var results = new List<AgentResult>();
        foreach (var step in plan.Steps!)
        {
            var name = step.Name!;
            var args = step.Args!;
            await AnnounceAsync(name, args[0]).ConfigureAwait(false);
            var disks = DiskFileStates.Capture(args.Skip(1));
            runner.PlanStep = name;
            var stopwatch = Stopwatch.StartNew();
            var result = await RunStepAsync(root, runner, configuration, args, cancellationToken).ConfigureAwait(false);
            result = result with { Step = name, DurationMs = result.DurationMs > 0 ? result.DurationMs : stopwatch.ElapsedMilliseconds };
            if (!result.Ok)
            {
                result = result with { DiskUnchanged = disks.Unchanged() };
            }

            results.Add(result);
            await ReportAsync(result).ConfigureAwait(false);
            if (!result.Ok)
            {
                throw new PlanStepFailedException(new AgentResult
                {
                    Command = "run",
                    Ok = false,
                    ExitCode = result.ExitCode,
                    Error = $"step {name} ({args[0]}): {result.Error}",
                    FailedStep = name,
                    Steps = results,
                });
            }
        }

        return new AgentResult { Command = "run", Steps = results };
    }

    private async Task<AgentResult> RunStepAsync(RootCommand root, CommandRunner runner, InvocationConfiguration configuration, IReadOnlyList<string> args, CancellationToken ct)
    {
        var parse = root.Parse([.. args, "--progress", progress.ToString().ToLowerInvariant()]);
        if (parse.Errors.Count > 0)
        {
            return Failure(args[0], ExitCode.Usage, string.Join("; ", parse.Errors.Select(e => e.Message)));
        }

        try
        {
            await parse.InvokeAsync(configuration, ct).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Commands report their own errors; what escapes them is a bug, as on the command line.
            return Failure(args[0], ExitCode.InternalError, InternalErrorReport.Summary(ex));
        }

        return runner.Captured ?? Failure(args[0], ExitCode.InternalError, $"'{args[0]}' left no result");
    }

    private static AgentResult Failure(string command, ExitCode code, string message) =>
        new() { Command = command, Ok = false, ExitCode = (int)code, Error = message };

    private async Task AnnounceAsync(string name, string command)
    {
        if (progress == ProgressMode.Lines)
        {
            await log.WriteLineAsync($"{{\"progress\":{{\"step\":\"{name}\",\"stage\":\"{command}\",\"fraction\":0,\"bytesDone\":0,\"bytesTotal\":0,\"bytesPerSecond\":0}}}}").ConfigureAwait(false);
        }
        else
        {
            await log.WriteLineAsync($"imprint run: step {name} ({command})").ConfigureAwait(false);
        }

        await log.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The step's whole result (the plan's own result may have to be shortened to fit the termination log).</summary>
    private async Task ReportAsync(AgentResult result)
    {
        if (progress == ProgressMode.Lines)
        {
            await log.WriteLineAsync($"{{\"stepResult\":{ResultWriter.Serialize(result)}}}").ConfigureAwait(false);
        }
        else
        {
            var outcome = result.Ok ? "done" : $"failed with exit code {result.ExitCode}: {result.Error}";
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imprint run: step {result.Step} {outcome} ({result.DurationMs} ms)")).ConfigureAwait(false);
        }

        await log.FlushAsync().ConfigureAwait(false);
    }
}
