using System.ComponentModel;
using Imprint.Operator.Apis.Schema;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A sealed, inspected disk that VmClones copy from.</summary>
[Description("GoldenImage imports a VM disk (from a PVC or a URL), inspects and seals it, and keeps it in a PVC "
    + "(optionally snapshotted) for VmClones to copy.")]
[ShortNames("gi")]
[Categories(ImprintApi.Category)]
[PrinterColumn("Phase", PrinterColumnType.String, ".status.phase")]
[PrinterColumn("Progress", PrinterColumnType.String, ".status.progress")]
[PrinterColumn("Size", PrinterColumnType.String, ".status.size", Description = "Virtual size of the disk, as a quantity (2Gi).")]
[PrinterColumn("Revision", PrinterColumnType.String, ".status.currentRevision", Description = "The revision new VmClones copy (r1, r2, ...).")]
[PrinterColumn("Age", PrinterColumnType.Date, ".metadata.creationTimestamp")]
[KubernetesEntity(Group = ImprintApi.Group, ApiVersion = ImprintApi.V1Alpha1, Kind = KindName, PluralName = "goldenimages")]
public sealed class V1Alpha1GoldenImage : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "GoldenImage";

    /// <summary>How many ancestors a derived golden may have (status.parent's length).</summary>
    public const int ParentChainLimit = 8;

    public string ApiVersion { get; set; } = $"{ImprintApi.Group}/{ImprintApi.V1Alpha1}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    public GoldenImageSpec Spec { get; set; } = new();

    public GoldenImageStatus? Status { get; set; }

    /// <summary>What the user asks for.</summary>
    [Description("Desired state of the GoldenImage.")]
    // The agent shrinks an image file on a Filesystem claim; a Block device keeps its size, so the seal would fail late.
    [CelRule("!(has(self.seal) && has(self.seal.shrink) && self.seal.shrink && has(self.storage) && has(self.storage.volumeMode) && self.storage.volumeMode == 'Block')",
        "seal.shrink needs a Filesystem-mode golden (storage.volumeMode: Filesystem): a Block volume cannot shrink", FieldPath = ".seal.shrink")]
    [CelRule("!has(self.customize) || has(self.source.goldenImage)",
        "spec.customize needs spec.source.goldenImage: customizing builds a derived golden from another one", FieldPath = ".customize")]
    [CelRule("!has(self.customize) || !has(self.customize.hostname)",
        "spec.customize.hostname is per-clone identity: set it on each VmClone, not on a golden", FieldPath = ".customize.hostname")]
    [CelRule("!has(self.customize) || !has(self.customize.sshHostKeys) || self.customize.sshHostKeys != 'Keep'",
        "spec.customize.sshHostKeys: Keep is per-clone identity: a golden's seal removes its host keys and every clone gets its own; set it on the VmClone", FieldPath = ".customize.sshHostKeys")]
    [CelRule("!has(self.customize) || !has(self.customize.machineId) || self.customize.machineId != 'Keep'",
        "spec.customize.machineId: Keep is per-clone identity: a golden's seal empties /etc/machine-id and every clone gets its own; set it on the VmClone", FieldPath = ".customize.machineId")]
    // Only a download can be looked at again for a newer version; a source PVC has no publisher to ask. A derived golden
    // follows its parent's revisions instead (followParent), without a schedule of its own.
    [CelRule("!has(self.updatePolicy) || has(self.source.http) || has(self.source.goldenImage)",
        "updatePolicy needs an http source (spec.source.http, with a schedule) or a parent (spec.source.goldenImage, with followParent)", FieldPath = ".updatePolicy")]
    [CelRule("!has(self.updatePolicy) || !has(self.source.http) || has(self.updatePolicy.schedule)",
        "updatePolicy.schedule is required for an http source", FieldPath = ".updatePolicy.schedule")]
    // A fixed checksum can only ever match the first download; a source published with a checksum file beside it is
    // verified against that file's line instead, from revision r1 on.
    [CelRule("!has(self.source.http) || has(self.source.http.checksum) || (has(self.updatePolicy) && has(self.updatePolicy.checksumUrl))",
        "spec.source.http.checksum is required unless spec.updatePolicy.checksumUrl names a checksum file to verify the download against", FieldPath = ".source.http.checksum")]
    [CelRule("!has(self.updatePolicy) || !has(self.updatePolicy.followParent) || !self.updatePolicy.followParent || has(self.source.goldenImage)",
        "updatePolicy.followParent needs a parent (spec.source.goldenImage)", FieldPath = ".updatePolicy.followParent")]
    public sealed class GoldenImageSpec
    {
        [Required]
        [Immutable("spec.source is immutable; create a new GoldenImage")]
        [Description("Where the disk comes from; exactly one of pvc, http or goldenImage. Immutable: the image is built once, so a "
            + "changed source would leave clones and the stored disk disagreeing. With GitOps, roll out a new image "
            + "under a new name and move VmClones to it.")]
        public GoldenImageSource Source { get; set; } = new();

        [Immutable("spec.customize is immutable; create a new GoldenImage")]
        [Description("With source.goldenImage: changes written into the copied parent disk before it is sealed — the "
            + "VmClone customize shape without per-clone identity (hostname and Keep for sshHostKeys/machineId are refused: "
            + "every clone of the derived golden still gets its own). Immutable like source.")]
        public CustomizeSpec? Customize { get; set; }

        [Description("The PVC the golden disk is written to; all fields optional.")]
        public StorageSpec? Storage { get; set; }

        [Immutable("spec.seal is immutable; create a new GoldenImage")]
        [Description("Which seal operations run. Absent: the default operations. Immutable for the same reason as "
            + "source: the stored disk was sealed with these operations.")]
        public SealSpec? Seal { get; set; }

        [Description("Take a VolumeSnapshot of the finished disk.")]
        public SnapshotSpec? Snapshot { get; set; }

        [Description("Namespaces whose VmClones may use this image; absent: only its own namespace.")]
        public SharingSpec? Sharing { get; set; }

        [Description("Announce the Ready image to other tools, e.g. as a CDI DataSource.")]
        public PublishSpec? Publish { get; set; }

        [Description("Keep the image current: check the http source on a schedule and seal a new revision when it "
            + "changed. Absent: the image is imported once (one revision, r1).")]
        public UpdatePolicy? UpdatePolicy { get; set; }
    }

    /// <summary>What the controller observed; written only through the status subresource.</summary>
    [Description("Observed state of the GoldenImage, written by the operator.")]
    public sealed class GoldenImageStatus : IReconciledStatus
    {
        [Description("Current phase: Pending, Importing, Inspecting, Sealing, Snapshotting, Ready or Failed.")]
        public GoldenImagePhase? Phase { get; set; }

        [Pattern("^(100|[1-9]?[0-9])%$")]
        [Description("Progress of the current phase, e.g. 45%.")]
        public string? Progress { get; set; }

        [ListMap("type")]
        [MaxItems(16)]
        [Description("Ready, Progressing and Degraded conditions.")]
        public IList<Condition>? Conditions { get; set; }

        [Description("The metadata.generation this status describes.")]
        public long? ObservedGeneration { get; set; }

        [Description("The PVC holding the golden disk.")]
        public NamespacedObjectReference? Pvc { get; set; }

        [Description("The VolumeSnapshot of the golden disk, when spec.snapshot is set.")]
        public LocalObjectReference? Snapshot { get; set; }

        [Description("The CDI DataSource kept for spec.publish.dataSource, once it points at the PVC.")]
        public LocalObjectReference? DataSource { get; set; }

        [Description("Virtual size of the disk in bytes; VmClone target sizes must be at least this.")]
        public long? VirtualSize { get; set; }

        [Description("Virtual size of the disk as a quantity (e.g. 2Gi), for people; virtualSize is the same in bytes.")]
        public string? Size { get; set; }

        [Description("Size and SHA-256 of the first and last MiB of the sealed disk; CSI clones and snapshot restores are checked against it.")]
        public DiskFingerprint? Fingerprint { get; set; }

        [Pattern("^sha256:[0-9a-f]{64}$")]
        [Description("Digest of the sealed disk (with spec.seal.disabled, of the imported disk): sha256:<hex> of all its bytes (holes hashed as zeros), as 'imprint digest' prints. "
            + "Every host-assisted copy of the golden is hashed on the fly and must match.")]
        public string? Digest { get; set; }

        [Description("With spec.seal.shrink: the smallest disk in bytes a VmClone of this image may ask for (the shrunk disk's size).")]
        public long? MinimumSize { get; set; }

        [MaxLength(1024)]
        [Description("Set when a copy found the disk's digest different from status.digest: the golden changed since it was sealed. "
            + "The image is Degraded and clones from it stop; a re-seal (a new revision from spec.updatePolicy, or a new image) is the way back.")]
        public string? DigestMismatch { get; set; }

        [MaxItems(ParentChainLimit)]
        [Description("For a derived golden: the GoldenImages it was built from, its parent first and the root last, each "
            + "with the revision and digest that was copied.")]
        public IList<ParentRevision>? Parent { get; set; }

        [Description("What the agent found on the disk.")]
        public ImageInspection? Inspection { get; set; }

        [Pattern(GoldenImageRevision.NamePattern)]
        [Description("The revision new VmClones copy unless they pin another; status.pvc, digest, fingerprint and size describe it.")]
        public string? CurrentRevision { get; set; }

        [Description("Without spec.source.http.checksum: the line for the image in spec.updatePolicy.checksumUrl's file "
            + "(sha256:<hex> or sha512:<hex>), read once before the first import; the download of revision r1 is verified against it.")]
        public string? PublishedChecksum { get; set; }

        [ListMap("name")]
        [MaxItems(32)]
        [Description("The image's revisions, oldest first: the ready ones kept by spec.updatePolicy.keepRevisions (and any "
            + "still in use), plus one being built (ready: false).")]
        public IList<GoldenImageRevision>? Revisions { get; set; }

        [Description("When spec.updatePolicy last checked the source.")]
        public DateTimeOffset? LastUpdateCheck { get; set; }

        [Description("When spec.updatePolicy checks the source next.")]
        public DateTimeOffset? NextUpdateCheck { get; set; }

        [MaxLength(1024)]
        [Description("Why the last update check or revision build failed (Degraded, reason UpdateFailed); the current "
            + "revision keeps serving and the next scheduled check tries again. Cleared by a check that succeeds.")]
        public string? UpdateError { get; set; }

        [Description("Which agent engine read and sealed the guest: e2fsprogs (ext2/3/4, edited in the agent's process) or libguestfs (any other filesystem or layout, parsed inside an appliance VM).")]
        public string? Engine { get; set; }

        [Description("Seal operations that changed something on the disk.")]
        public IList<string>? SealedOperations { get; set; }

        [Description("When the import started.")]
        public DateTimeOffset? StartTime { get; set; }

        [Description("When the image became Ready or Failed.")]
        public DateTimeOffset? CompletionTime { get; set; }

        [Description("How many times a failed step was retried (each retry imports again from the source).")]
        public int? RetryCount { get; set; }

        [Description("When the next attempt starts after a failed step.")]
        public DateTimeOffset? NextRetryTime { get; set; }

        [Description("Machine-readable reason of the last failure or wait, in CamelCase.")]
        public string? Reason { get; set; }

        [Description("Human-readable details of the last failure or wait.")]
        public string? Message { get; set; }
    }
}
