using Imprint.Agent.Errors;
using Imprint.Agent.Results;

namespace Imprint.Agent.Plans;

/// <summary>A plan stopped at a failing step: carries the plan's result (every step that ran), exit code the step's.</summary>
public sealed class PlanStepFailedException(AgentResult result) : ImprintException((ExitCode)result.ExitCode, result.Error ?? "a plan step failed")
{
    public AgentResult Result { get; } = result;
}
