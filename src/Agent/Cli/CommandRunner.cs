using System.CommandLine;
using System.Diagnostics;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cli;

/// <summary>
/// Runs a command body and turns its outcome into output and an exit code: the result (or the error) as text or
/// JSON on stdout, optionally also to --result-file, and the documented exit code.
/// </summary>
public sealed class CommandRunner(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// Set by <c>imprint run</c> while one of its steps runs: progress lines carry the step's name, and the result goes
    /// to <see cref="Captured"/> instead of the output or a result file (the plan writes one document for all steps).
    /// </summary>
    public string? PlanStep
    {
        get;
        set
        {
            field = value;
            Captured = null;
        }
    }

    /// <summary>The result of the last command run for a plan step.</summary>
    public AgentResult? Captured { get; private set; }

    public async Task<int> RunAsync(
        string command,
        ParseResult parse,
        Func<CommandContext, CancellationToken, Task<AgentResult>> body,
        CancellationToken cancellationToken)
    {
        var json = parse.GetValue(GlobalOptions.Json);
        var resultFile = parse.GetValue(GlobalOptions.ResultFile);
        var context = new CommandContext(Error, ProgressRenderer.Resolve(parse.GetValue(GlobalOptions.Progress)), PlanStep);
        var stopwatch = Stopwatch.StartNew();
        AgentResult result;
        try
        {
            result = await body(context, cancellationToken).ConfigureAwait(false);
            result = result with { Command = command, Ok = true, ExitCode = 0, DurationMs = stopwatch.ElapsedMilliseconds };
        }
        catch (Plans.PlanStepFailedException ex)
        {
            result = ex.Result with { DurationMs = stopwatch.ElapsedMilliseconds };
        }
        catch (ImprintException ex)
        {
            result = Failure(command, ex.Code, ex.Message, stopwatch);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = Failure(command, ExitCode.Cancelled, "cancelled", stopwatch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            result = Failure(command, ExitCode.NotWritable, ex.Message, stopwatch);
        }
        catch (Exception ex)
        {
            // A bug: one line for the user and the Job's result; the stack only when asked for (never by default).
            result = Failure(command, ExitCode.InternalError, InternalErrorReport.Summary(ex), stopwatch);
            if (InternalErrorReport.DebugEnabled)
            {
                await Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }
        }

        if (PlanStep is not null)
        {
            Captured = result;
            return result.ExitCode;
        }

        if (resultFile is not null)
        {
            await File.WriteAllTextAsync(resultFile.FullName, ResultWriter.SerializeBounded(result), CancellationToken.None).ConfigureAwait(false);
        }

        if (json)
        {
            await Output.WriteLineAsync(ResultWriter.Serialize(result, indented: true)).ConfigureAwait(false);
        }
        else if (result.Ok)
        {
            await Output.WriteAsync(HumanFormatter.Format(result)).ConfigureAwait(false);
        }
        else
        {
            await Error.WriteLineAsync($"imprint {command}: error: {result.Error}").ConfigureAwait(false);
        }

        return result.ExitCode;
    }

    private static AgentResult Failure(string command, ExitCode code, string message, Stopwatch stopwatch) => new()
    {
        Command = command,
        Ok = false,
        ExitCode = (int)code,
        Error = message,
        DurationMs = stopwatch.ElapsedMilliseconds,
    };
}
