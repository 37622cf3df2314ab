using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>One reconcile pass over a GoldenImage: the object, the status being built, and the services phases use.</summary>
public sealed class GoldenImageContext
{
    public required V1Alpha1GoldenImage Entity { get; init; }

    /// <summary>The status this pass writes (a copy; the entity's own status stays as read).</summary>
    public required V1Alpha1GoldenImage.GoldenImageStatus Status { get; init; }

    public required IKubernetesClient Client { get; init; }

    public required AgentStepRunner Steps { get; init; }

    public required IEventRecorder Events { get; init; }

    public required ImprintOptions Options { get; init; }

    public required DateTimeOffset Now { get; init; }

    public string Name => Entity.Metadata.Name!;

    public string Namespace => Entity.Metadata.Namespace!;

    public int Attempt => Status.RetryCount ?? 0;

    public VolumeMode VolumeMode => Entity.Spec.Storage?.VolumeMode ?? VolumeMode.Filesystem;

    /// <summary>The golden disk's claim: status.pvc once made, else &lt;name&gt;-golden.</summary>
    public string PvcName => Status.Pvc?.Name ?? GoldenImagePvc.DefaultName(Name);

    /// <summary>Bytes the golden disk may take, known after validation (spec.storage.size or the source PVC's size).</summary>
    public long? DiskBytes { get; set; }

    /// <summary>Volume mode of spec.source.pvc, once validated.</summary>
    public VolumeMode SourceMode { get; set; } = VolumeMode.Filesystem;

    public AgentDisk TargetDisk => AgentDisk.Target(PvcName, VolumeMode);

    /// <summary>Progress of the running step, as status.progress shows it.</summary>
    public string? Progress { get; set; }

    public AgentJobRequest Request(AgentStep step, IReadOnlyList<string> args, IReadOnlyList<AgentDisk> disks, AgentInput? input = null) => new()
    {
        Owner = Entity,
        Step = step,
        Attempt = Attempt,
        Args = args,
        Disks = disks,
        Input = input,
    };
}
