using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>The PVC a golden image is written to.</summary>
[Description("The PVC the golden disk is written to.")]
public sealed class StorageSpec
{
    [MaxLength(64)]
    [Pattern(SchemaPatterns.Quantity)]
    [CelRule(SchemaPatterns.PositiveQuantityRule, "size must be a positive quantity")]
    [Description("Virtual size of the golden disk as a quantity (e.g. 20Gi); the PVC asks for a little more on "
        + "Filesystem volumes, where the disk is a file. Required for http sources (the size is unknown before the "
        + "download); for pvc sources it defaults to the source PVC's size. The import fails when the image does not fit.")]
    public IntOrString? Size { get; set; }

    [MaxLength(253)]
    [Description("StorageClass of the PVC; the cluster default when absent.")]
    public string? StorageClassName { get; set; }

    [Default(V1Alpha1.VolumeMode.Filesystem)]
    [Description("Filesystem (the disk is disk.img on the volume) or Block.")]
    public VolumeMode? VolumeMode { get; set; }

    [MinItems(1)]
    [MaxItems(4)]
    [Default(new[] { "ReadWriteOnce" })]
    [Description("Access modes of the PVC.")]
    public IList<PersistentVolumeAccessMode>? AccessModes { get; set; }
}
