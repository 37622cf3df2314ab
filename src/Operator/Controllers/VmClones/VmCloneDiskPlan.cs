using Imprint.Operator.Controllers.Agent;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// The clone's agent steps that share one pod, in order: copy (Copy strategy; from another namespace the receiving
/// side, while the serving side runs as its own Job there), customize, grow. A CSI clone or snapshot restore starts at
/// customize (its claim was verified by its own Job first, once Bound).
/// </summary>
public static class VmCloneDiskPlan
{
    /// <summary>The steps after <paramref name="step"/> that the same Job runs.</summary>
    public static IReadOnlyList<AgentPlanStep> After(VmCloneContext context, AgentStep step) => step switch
    {
        AgentStep.Copy => [CustomizePhase.PlanStep(context), .. Optional(ResizePhase.PlanStep(context))],
        AgentStep.Customize => [.. Optional(ResizePhase.PlanStep(context))],
        _ => [],
    };

    /// <summary>The disks the plan works on: the target claim and the golden image (a retry reuses work only on the same ones).</summary>
    public static string? Identity(VmCloneContext context) =>
        context.TargetClaimUid is { } target && context.Golden?.Metadata.Uid is { } golden ? $"target={target},golden={golden}" : null;

    private static IEnumerable<AgentPlanStep> Optional(AgentPlanStep? step) => step is null ? [] : [step];
}
