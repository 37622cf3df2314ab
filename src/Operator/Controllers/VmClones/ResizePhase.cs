using System.Globalization;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Resizing: when the clone is larger than the golden, the agent grows the disk in place — the image file (Filesystem
/// volumes) or up to the device's size (Block), the partition table and the filesystem.
/// </summary>
public sealed class ResizePhase : IPhase<VmCloneContext, VmClonePhase>
{
    public VmClonePhase Phase => VmClonePhase.Resizing;

    /// <summary>The grow step, or null when the clone is no larger than the golden.</summary>
    public static AgentPlanStep? PlanStep(VmCloneContext context)
    {
        if (context.TargetBytes <= context.Golden!.Status!.VirtualSize)
        {
            return null;
        }

        var target = context.TargetDisk;
        var args = new List<string> { "resize", target.Path };
        if (target.Mode == VolumeMode.Filesystem)
        {
            args.AddRange(["--size", context.TargetBytes.ToString(CultureInfo.InvariantCulture)]);
        }

        if (context.Entity.Spec.Resize?.Partition is { IsInt: true } partition)
        {
            args.AddRange(["--partition", partition.IntValue!.Value.ToString(CultureInfo.InvariantCulture)]);
        }

        return new AgentPlanStep(AgentStep.Resize, args, [target]);
    }

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        if (PlanStep(context) is not { } step)
        {
            return PhaseOutcome.Done;
        }

        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        if (observation.Result is { Ok: true } result)
        {
            context.Status.Engine = result.Engine ?? context.Status.Engine;
            context.Status.Durations ??= new CloneDurations();
            context.Status.Durations.ResizeMs = result.Resize?.DurationMs ?? result.DurationMs;
        }

        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Resizing", "growing the disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }
}
