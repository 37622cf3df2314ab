using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>One reconcile pass over a VmClone: the object, the status being built, what earlier phases learned.</summary>
public sealed class VmCloneContext : ReconcileContext<V1Alpha1VmClone, V1Alpha1VmClone.VmCloneStatus>
{
    /// <summary>What each StorageClass can be trusted to do with a dataSource (shared by all passes).</summary>
    public required StorageCapabilityRegistry StorageCapabilities { get; init; }

    public string GoldenNamespace => Entity.Spec.GoldenImage.Namespace ?? Namespace;

    public string TargetPvcName => Entity.Spec.Target?.PvcName ?? Name;

    /// <summary>The GoldenImage, once it was found Ready.</summary>
    public V1Alpha1GoldenImage? Golden { get; set; }

    /// <summary>The golden disk's claim and its mode (read in WaitForGoldenImage).</summary>
    public string? GoldenPvcName { get; set; }

    public VolumeMode GoldenMode { get; set; } = VolumeMode.Filesystem;

    public string? GoldenStorageClass { get; set; }

    /// <summary>The golden claim's requested size (its capacity when it has no request): no CSI clone can be smaller.</summary>
    public long? GoldenClaimBytes { get; set; }

    /// <summary>Size of the clone's disk: spec.target.size or the golden's virtual size.</summary>
    public long TargetBytes { get; set; }

    public VolumeMode TargetMode => Entity.Spec.Target?.VolumeMode ?? GoldenMode;

    public AgentDisk TargetDisk => AgentDisk.Target(TargetPvcName, TargetMode);

    /// <summary>The strategy this pass gave up on (a CSI clone or snapshot restore that did not provision), if any.</summary>
    public CloneStrategy? FellBackFrom { get; set; }

    /// <summary>Why, as a bounded metric label suffix: NotProvisioned (the claim never bound) or NotPopulated (it bound without the golden disk).</summary>
    public string FallbackCause { get; set; } = "NotProvisioned";

    /// <summary>The uid of the target claim this attempt works on (set once it exists).</summary>
    public string? TargetClaimUid { get; set; }

    /// <summary>Bytes the copy step wrote, once it succeeded in this pass.</summary>
    public long? BytesCopied { get; set; }
}
