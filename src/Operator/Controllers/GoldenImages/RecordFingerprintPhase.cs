using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Sealing, last: the agent fingerprints the sealed disk read-only (size, SHA-256 of its first and last MiB) into
/// status.fingerprint, which every CSI clone and snapshot restore of it is checked against before it is customized.
/// </summary>
public sealed class RecordFingerprintPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Sealing;

    public static AgentPlanStep PlanStep(GoldenImageContext context)
    {
        var disk = context.TargetDisk with { ReadOnly = true };
        return new AgentPlanStep(AgentStep.Fingerprint, ["fingerprint", disk.Path], [disk]);
    }

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        var step = PlanStep(context);
        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        if (observation.Result is { Ok: true, Fingerprint: { Head: { } head, Tail: { } tail } found })
        {
            context.Status.Fingerprint = new DiskFingerprint { Size = found.Length ?? found.Size, Head = head, Tail = tail };
        }

        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Sealing", "fingerprinting the sealed disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }
}
