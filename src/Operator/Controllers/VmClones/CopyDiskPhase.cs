using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Cloning (Copy strategy): the agent copies the golden disk (mounted read-only) into the target, sparse-aware and
/// overwriting what an earlier attempt left. CSI clones and snapshot restores have nothing to do here.
/// </summary>
public sealed class CopyDiskPhase : IPhase<VmCloneContext, VmClonePhase>
{
    public VmClonePhase Phase => VmClonePhase.Cloning;

    /// <summary>
    /// The Copy step's agent arguments. A golden is always raw after import, so it is copied as raw bytes
    /// (<c>--source-format raw</c>): a golden whose first sector happens to hold a qcow2 header (a tenant's qcow2
    /// nested in the disk) is never handed to qemu-img.
    /// </summary>
    public static IReadOnlyList<string> CopyArgs(string goldenPath, string targetPath, IReadOnlyList<string>? expectDigest = null) =>
        ["clone", goldenPath, targetPath, "--overwrite", "--source-format", "raw", .. expectDigest ?? []];

    /// <summary>The copy of the golden disk in the clone's own namespace.</summary>
    public static AgentPlanStep PlanStep(VmCloneContext context)
    {
        var golden = AgentDisk.Golden(context.GoldenPvcName!, context.GoldenMode);
        var target = context.TargetDisk;
        return new AgentPlanStep(AgentStep.Copy, CopyArgs(golden.Path, target.Path, GoldenImages.GoldenImageIntegrity.ExpectArgs(context.Golden)), [golden, target]);
    }

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        if (context.Status.CloneStrategy != CloneStrategy.Copy)
        {
            return PhaseOutcome.Done;
        }

        if (context.GoldenNamespace != context.Namespace)
        {
            return await TransferDisk.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }

        var step = PlanStep(context);
        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        if (await GoldenDigestCheck.StopOnMismatchAsync(context, observation, context.DiskSteps.JobName(step), cancellationToken).ConfigureAwait(false) is { } changed)
        {
            return changed;
        }

        context.Progress = observation is { State: AgentJobState.Running, Progress: { } p } ? AgentOutput.Percent(p.Fraction) : context.Progress;
        if (observation.Result is { Ok: true } result)
        {
            context.Status.Durations ??= new CloneDurations();
            context.Status.Durations.CloneMs = result.Copy?.DurationMs ?? result.DurationMs;
            context.BytesCopied = result.Copy?.BytesWritten;
        }

        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Copying", "copying the golden disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }
}
