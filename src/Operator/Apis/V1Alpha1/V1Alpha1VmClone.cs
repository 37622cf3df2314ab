using System.ComponentModel;
using Imprint.Operator.Apis.Schema;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A new VM disk copied from a GoldenImage, customized offline and grown.</summary>
[Description("VmClone copies a GoldenImage into a new PVC, customizes the guest offline (host name, users, network, "
    + "files) and grows it to the requested size, ready for a VM to boot.")]
[ShortNames("vmc")]
[Categories(ImprintApi.Category)]
[PrinterColumn("Phase", PrinterColumnType.String, ".status.phase")]
[PrinterColumn("Progress", PrinterColumnType.String, ".status.progress")]
[PrinterColumn("Golden", PrinterColumnType.String, ".spec.goldenImage.name")]
[PrinterColumn("Revision", PrinterColumnType.String, ".status.goldenImageRevision", Priority = 1)]
[PrinterColumn("PVC", PrinterColumnType.String, ".status.pvc.name")]
[PrinterColumn("Age", PrinterColumnType.Date, ".metadata.creationTimestamp")]
[KubernetesEntity(Group = ImprintApi.Group, ApiVersion = ImprintApi.V1Alpha1, Kind = KindName, PluralName = "vmclones")]
public sealed class V1Alpha1VmClone : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "VmClone";

    public string ApiVersion { get; set; } = $"{ImprintApi.Group}/{ImprintApi.V1Alpha1}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    [Required]
    public VmCloneSpec Spec { get; set; } = new();

    public VmCloneStatus? Status { get; set; }

    /// <summary>What the user asks for.</summary>
    [Description("Desired state of the VmClone.")]
    public sealed class VmCloneSpec
    {
        [Required]
        [Immutable("spec.goldenImage is immutable; create a new VmClone")]
        [Description("The GoldenImage to copy; a GoldenImage in another namespace must list this namespace in "
            + "spec.sharing; revision pins one of its revisions (default: its current one). Immutable: the disk is "
            + "copied once, so a changed reference would not change the disk.")]
        public GoldenImageReference GoldenImage { get; set; } = new();

        [Description("The PVC to create; all fields optional.")]
        public CloneTarget? Target { get; set; }

        [Default(CloneStrategy.Auto)]
        [Description("How to copy: Auto (CsiClone, then Snapshot, then Copy, whichever works first), CsiClone, "
            + "Snapshot or Copy. status.cloneStrategy reports the one used.")]
        public CloneStrategy? Strategy { get; set; }

        [Description("Which partition grows when the target is larger than the golden image.")]
        public ResizeSpec? Resize { get; set; }

        [Immutable("spec.customize is immutable; create a new VmClone")]
        [Description("Changes written into the guest before its first boot. Immutable: they are applied once to the "
            + "disk, and editing them later would not reach the running VM. With GitOps, replace the VmClone (new "
            + "name) to roll out a change.")]
        public CustomizeSpec? Customize { get; set; }

        [Default(V1Alpha1.ReclaimPolicy.Retain)]
        [Description("Retain (default: deleting the VmClone keeps the disk) or Delete (the PVC goes with it).")]
        public ReclaimPolicy? ReclaimPolicy { get; set; }
    }

    /// <summary>What the controller observed; written only through the status subresource.</summary>
    [Description("Observed state of the VmClone, written by the operator.")]
    public sealed class VmCloneStatus : IReconciledStatus
    {
        [Description("Current phase: Pending, WaitingForGoldenImage, Cloning, Customizing, Resizing, Ready or Failed.")]
        public VmClonePhase? Phase { get; set; }

        [Pattern("^(100|[1-9]?[0-9])%$")]
        [Description("Progress of the current phase, e.g. 45%.")]
        public string? Progress { get; set; }

        [ListMap("type")]
        [MaxItems(16)]
        [Description("Ready, Progressing and Degraded conditions.")]
        public IList<Condition>? Conditions { get; set; }

        [Description("The metadata.generation this status describes.")]
        public long? ObservedGeneration { get; set; }

        [Description("The PVC holding the cloned disk.")]
        public NamespacedObjectReference? Pvc { get; set; }

        [Description("The GoldenImage revision the disk was copied from (r1, r2, ...).")]
        public string? GoldenImageRevision { get; set; }

        [Description("The strategy used (never Auto).")]
        public CloneStrategy? CloneStrategy { get; set; }

        [Description("Why Auto fell back from a faster strategy, e.g. the StorageClass cannot clone across classes.")]
        public string? FallbackReason { get; set; }

        [Description("The clone's SSH host keys, for known_hosts.")]
        public IList<SshHostKey>? SshHostKeys { get; set; }

        [Description("The clone's /etc/machine-id after customization (a new one unless customize.machineId is Keep).")]
        public string? MachineId { get; set; }

        [Description("Which agent engine customized and grew the guest: e2fsprogs (ext2/3/4, edited in the agent's process) or libguestfs (any other filesystem or layout, parsed inside an appliance VM).")]
        public string? Engine { get; set; }

        [Description("How many changes customization made.")]
        public ChangeSummary? Changes { get; set; }

        [Description("How long each step took.")]
        public CloneDurations? Durations { get; set; }

        [Description("When cloning started.")]
        public DateTimeOffset? StartTime { get; set; }

        [Description("When the clone became Ready or Failed.")]
        public DateTimeOffset? CompletionTime { get; set; }

        [Description("How many times a failed step was retried (each retry starts again from the golden disk).")]
        public int? RetryCount { get; set; }

        [Description("When the next attempt starts after a failed step.")]
        public DateTimeOffset? NextRetryTime { get; set; }

        [Description("Machine-readable reason of the last failure or wait, in CamelCase.")]
        public string? Reason { get; set; }

        [Description("Human-readable details of the last failure or wait.")]
        public string? Message { get; set; }
    }
}
