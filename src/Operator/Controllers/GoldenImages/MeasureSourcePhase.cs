using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Importing, for a pvc source without spec.storage.size: the agent reads the source image's virtual size (read-only,
/// <c>imprint fingerprint</c>) so the golden claim is sized for the disk rather than for the source claim, which may be
/// many times larger (a 2 GiB image in a 40 GiB claim). A compressed source, whose size is unknown until it is
/// decompressed, keeps the source claim's size.
/// </summary>
public sealed class MeasureSourcePhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    /// <summary>The agent's exit code for an input it cannot handle (here: gz/xz, whose virtual size needs decompressing).</summary>
    private const int Unsupported = 5;

    public GoldenImagePhase Phase => GoldenImagePhase.Importing;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        if (context.DiskBytes is not null)
        {
            return PhaseOutcome.Done;
        }

        // Sized by an earlier pass: the claim carries the disk size it was made for.
        var made = await context.Reader.GetAsync<V1PersistentVolumeClaim>(context.PvcName, context.Namespace, cancellationToken).ConfigureAwait(false);
        if (made is not null && StorageClasses.SizeOf(made) is { } known)
        {
            context.DiskBytes = known;
            return PhaseOutcome.Done;
        }

        var source = AgentDisk.Source(context.SourcePvcName!, context.SourceMode);
        var request = context.Request(AgentStep.Measure, ["fingerprint", source.Path], [source]);
        var observation = await context.Steps.RunAsync(request, cancellationToken).ConfigureAwait(false);
        switch (observation)
        {
            case { State: AgentJobState.Succeeded, Result.Fingerprint.Size: > 0 and var size }:
                context.DiskBytes = size;
                return PhaseOutcome.Done;
            case { State: AgentJobState.Failed, ExitCode: Unsupported } when context.SourceClaimBytes is { } claimBytes:
                context.DiskBytes = claimBytes;
                return PhaseOutcome.Done;
            default:
                return AgentStepOutcome.From(observation, request.Name, "Measuring", "reading the source image's virtual size",
                    TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
        }
    }
}
