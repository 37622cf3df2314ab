using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>Inspecting: the agent reads the partitions, filesystems and guest OS; the report and virtual size go to status.</summary>
public sealed class InspectPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Inspecting;

    public static AgentPlanStep PlanStep(GoldenImageContext context)
    {
        var disk = context.TargetDisk with { ReadOnly = true };
        return new AgentPlanStep(AgentStep.Inspect, ["inspect", disk.Path], [disk]);
    }

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        var step = PlanStep(context);
        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        var outcome = AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Inspecting", "inspecting the disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
        if (observation.Result is { Ok: true, Disk: not null } result)
        {
            context.Status.VirtualSize = result.Disk?.Size;
            context.Status.Size = result.Disk?.Size is { } bytes ? Storage.DiskSizing.Format(bytes) : null;
            context.Status.Inspection = ToInspection(result);
            context.Status.Engine = result.Engine;
        }

        return outcome;
    }

    public static ImageInspection ToInspection(AgentResultDocument result) => new()
    {
        Os = result.Guest?.Os,
        Distro = result.Guest?.Distro,
        Version = result.Guest?.Version,
        Arch = result.Guest?.Arch,
        Hostname = result.Guest?.Hostname,
        RootPartition = result.Guest?.RootPartition,
        PackageFormat = result.Guest?.PackageFormat,
        InitSystem = result.Guest?.InitSystem,
        NetworkStyle = result.Guest?.NetworkStyle,
        CloudInit = result.Guest?.CloudInit,
        Partitions = result.Disk?.Partitions?.Select(p => new PartitionInspection
        {
            Number = p.Number,
            Start = p.Start,
            Size = p.Size,
            Filesystem = p.Filesystem,
            Uuid = p.Uuid,
            Label = p.Label,
        }).ToList(),
    };
}
