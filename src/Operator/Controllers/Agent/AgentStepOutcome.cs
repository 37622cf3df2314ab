using System.Globalization;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Turns a Job observation into a phase outcome. Exit codes the agent documents as problems of the input (2 usage,
/// 4 malformed image or checksum mismatch, 5 unsupported, 6 cannot be satisfied) fail for good — a new attempt would
/// meet the same disk; everything else (1 bug, 3 unreachable, 7 tool failure, 8 not writable, 130 killed, no exit
/// code at all: evicted, deadline, node lost) is retried from the golden disk.
/// </summary>
public static class AgentStepOutcome
{
    private static readonly HashSet<int> PermanentExitCodes = [2, 4, 5, 6];

    public static PhaseOutcome From(AgentJobObservation observation, string jobName, string runningReason, string runningMessage, TimeSpan pollInterval)
    {
        switch (observation.State)
        {
            case AgentJobState.Succeeded:
                return PhaseOutcome.Done;
            case AgentJobState.Failed:
                var code = observation.ExitCode;
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"agent Job {jobName} failed{(code is { } c ? $" with exit code {c}" : "")}: {observation.FailureMessage}");
                return code is { } exit && PermanentExitCodes.Contains(exit)
                    ? PhaseOutcome.Fail(ReasonFor(exit), message)
                    : PhaseOutcome.Retry("AgentFailed", message);
            default:
                var progress = observation.Progress is { } p ? $" ({p.Stage} {AgentOutput.Percent(p.Fraction)})" : "";
                return PhaseOutcome.Wait(runningReason, $"{runningMessage}: Job {jobName}{progress}", pollInterval);
        }
    }

    private static string ReasonFor(int exitCode) => exitCode switch
    {
        2 => "InvalidAgentArguments",
        4 => "MalformedImage",
        5 => "UnsupportedImage",
        _ => "RequestNotSatisfiable",
    };
}
