using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Sealing, with spec.seal.disabled: nothing seals the disk, so nothing would record its digest and copies of it
/// would go unchecked. The agent hashes the imported disk read-only (<c>imprint digest</c>, holes not read) into
/// status.digest; a sealed golden gets its digest from the seal step instead.
/// </summary>
public sealed class RecordDigestPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Sealing;

    /// <summary>The digest step, or null when the seal step runs (it records the digest itself).</summary>
    public static AgentPlanStep? PlanStep(GoldenImageContext context)
    {
        if (context.Entity.Spec.Seal?.Disabled != true)
        {
            return null;
        }

        var disk = context.TargetDisk with { ReadOnly = true };
        return new AgentPlanStep(AgentStep.Digest, ["digest", disk.Path], [disk]);
    }

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        if (PlanStep(context) is not { } step)
        {
            return PhaseOutcome.Done;
        }

        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        if (observation.Result is { Ok: true } result)
        {
            GoldenImageIntegrity.RecordDigest(context.Status, result);
        }

        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Sealing", "hashing the unsealed disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }
}
