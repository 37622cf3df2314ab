using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>One reconcile pass over a VmClone: the object, the status being built, what earlier phases learned.</summary>
public sealed class VmCloneContext
{
    public required V1Alpha1VmClone Entity { get; init; }

    public required V1Alpha1VmClone.VmCloneStatus Status { get; init; }

    public required IKubernetesClient Client { get; init; }

    public required AgentStepRunner Steps { get; init; }

    public required IEventRecorder Events { get; init; }

    public required ImprintOptions Options { get; init; }

    public required DateTimeOffset Now { get; init; }

    public string Name => Entity.Metadata.Name!;

    public string Namespace => Entity.Metadata.Namespace!;

    public int Attempt => Status.RetryCount ?? 0;

    public string GoldenNamespace => Entity.Spec.GoldenImage.Namespace ?? Namespace;

    public string TargetPvcName => Entity.Spec.Target?.PvcName ?? Name;

    /// <summary>The GoldenImage, once it was found Ready.</summary>
    public V1Alpha1GoldenImage? Golden { get; set; }

    /// <summary>The golden disk's claim and its mode (read in WaitForGoldenImage).</summary>
    public string? GoldenPvcName { get; set; }

    public VolumeMode GoldenMode { get; set; } = VolumeMode.Filesystem;

    public string? GoldenStorageClass { get; set; }

    /// <summary>Size of the clone's disk: spec.target.size or the golden's virtual size.</summary>
    public long TargetBytes { get; set; }

    public VolumeMode TargetMode => Entity.Spec.Target?.VolumeMode ?? GoldenMode;

    public AgentDisk TargetDisk => AgentDisk.Target(TargetPvcName, TargetMode);

    public string? Progress { get; set; }

    /// <summary>The strategy this pass gave up on (a CSI clone or snapshot restore that did not provision), if any.</summary>
    public CloneStrategy? FellBackFrom { get; set; }

    /// <summary>Bytes the copy step wrote, once it succeeded in this pass.</summary>
    public long? BytesCopied { get; set; }

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
