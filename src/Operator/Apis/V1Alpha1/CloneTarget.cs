using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>The PVC a clone is written to.</summary>
[Description("The PVC the clone is written to.")]
public sealed class CloneTarget
{
    [MaxLength(253)]
    [Pattern(SchemaPatterns.DnsSubdomain)]
    [Description("Name of the PVC to create; defaults to the VmClone's metadata.name.")]
    public string? PvcName { get; set; }

    [MaxLength(64)]
    [Pattern(SchemaPatterns.Quantity)]
    [CelRule(SchemaPatterns.PositiveQuantityRule, "size must be a positive quantity")]
    [Description("PVC size as a quantity (e.g. 40Gi); defaults to the golden image's virtual size. It must be at least "
        + "the golden's virtual size: a rule here cannot see the other object, so the controller checks it and sets "
        + "the clone Failed (condition Ready=False, reason TargetTooSmall). A larger size grows the chosen partition.")]
    public IntOrString? Size { get; set; }

    [MaxLength(253)]
    [Description("StorageClass of the PVC; defaults to the golden PVC's class (needed for CsiClone).")]
    public string? StorageClassName { get; set; }

    [Description("Filesystem or Block; defaults to the golden PVC's mode.")]
    public VolumeMode? VolumeMode { get; set; }

    [MinItems(1)]
    [MaxItems(4)]
    [Description("Access modes of the PVC; defaults to [ReadWriteOnce].")]
    public IList<PersistentVolumeAccessMode>? AccessModes { get; set; }
}
