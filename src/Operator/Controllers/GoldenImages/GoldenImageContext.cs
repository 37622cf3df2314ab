using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>One reconcile pass over a GoldenImage: the object, the status being built, and the services phases use.</summary>
public sealed class GoldenImageContext : ReconcileContext<V1Alpha1GoldenImage, V1Alpha1GoldenImage.GoldenImageStatus>
{
    public VolumeMode VolumeMode => Entity.Spec.Storage?.VolumeMode ?? VolumeMode.Filesystem;

    /// <summary>The golden disk's claim: status.pvc once made, else &lt;name&gt;-golden.</summary>
    public string PvcName => Status.Pvc?.Name ?? GoldenImagePvc.DefaultName(Name);

    /// <summary>Bytes the golden disk may take: spec.storage.size, else the source image's virtual size once measured.</summary>
    public long? DiskBytes { get; set; }

    /// <summary>The source PVC's capacity, for a source whose virtual size cannot be read before converting it.</summary>
    public long? SourceClaimBytes { get; set; }

    /// <summary>The claim the import converts from: spec.source.pvc, or for a derived golden the parent's customized copy.</summary>
    public string? SourcePvcName { get; set; }

    /// <summary>For a derived golden: the parent GoldenImage, once found shared and Ready.</summary>
    public V1Alpha1GoldenImage? Parent { get; set; }

    /// <summary>For a derived golden: the parent's revision it builds from (pinned or current), once resolved.</summary>
    public ParentRevisionChoice? ParentRevision { get; set; }

    /// <summary>Volume mode of the source claim, once validated.</summary>
    public VolumeMode SourceMode { get; set; } = VolumeMode.Filesystem;

    public required Storage.StorageCapabilityRegistry StorageCapabilities { get; init; }

    /// <summary>Set by the Snapshot phase when spec.snapshot can never be honoured on this storage: why, for Degraded.</summary>
    public string? SnapshotUnsupported { get; set; }

    /// <summary>The uid of the golden claim (set once it exists).</summary>
    public string? PvcUid { get; set; }

    public AgentDisk TargetDisk => AgentDisk.Target(PvcName, VolumeMode);

    /// <summary>The revision this pass builds after an update found a new source; null for the image's first build (r1).</summary>
    public GoldenImageRevision? Revision { get; init; }

    /// <summary>
    /// The checksum the download must match: for the first build spec.source.http.checksum, else the checksum file's
    /// line read before it (status.publishedChecksum); the checksum file's line for a later revision (null without
    /// updatePolicy.checksumUrl: the agent records the file's own).
    /// </summary>
    public string? ImportChecksum => Revision is null ? Entity.Spec.Source.Http?.Checksum ?? Status.PublishedChecksum : Revision.SourceChecksum;

    /// <summary>The downloaded file's checksum as the agent computed it, once the import succeeded in this pass.</summary>
    public string? ImportedChecksum { get; set; }
}
