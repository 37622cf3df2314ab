using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Take a VolumeSnapshot of the finished golden disk, so clones can be restored from it.</summary>
[Description("Take a VolumeSnapshot of the finished disk; clones with strategy Snapshot or Auto restore from it.")]
public sealed class SnapshotSpec
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Description("VolumeSnapshotClass to use.")]
    public string VolumeSnapshotClassName { get; set; } = string.Empty;
}
