using Imprint.Operator.Controllers.Agent;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// The golden build's agent steps that share one pod, in order: import (download or convert), inspect, seal,
/// fingerprint (with the seal disabled, a digest step in place of the seal). Measuring a pvc source stays its own Job: it sizes the claim the others need.
/// </summary>
public static class GoldenImageDiskPlan
{
    public static IReadOnlyList<AgentPlanStep> After(GoldenImageContext context, AgentStep step)
    {
        List<AgentPlanStep> all = [InspectPhase.PlanStep(context), .. Optional(SealPhase.PlanStep(context)), .. Optional(RecordDigestPhase.PlanStep(context)), RecordFingerprintPhase.PlanStep(context)];
        return step switch
        {
            AgentStep.Import => all,
            AgentStep.Inspect or AgentStep.Seal or AgentStep.Digest or AgentStep.Fingerprint => [.. all.SkipWhile(s => s.Step != step).Skip(1)],
            _ => [],
        };
    }

    /// <summary>The golden claim the plan works on (a retry reuses work only on the same one).</summary>
    public static string? Identity(GoldenImageContext context) => context.PvcUid is { } uid ? $"target={uid}" : null;

    private static IEnumerable<AgentPlanStep> Optional(AgentPlanStep? step) => step is null ? [] : [step];
}
