using System.ComponentModel;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>One partition found on the disk.</summary>
[Description("One partition found on the disk.")]
public sealed class PartitionInspection
{
    [Description("Partition number (1-based).")]
    public int Number { get; set; }

    [Description("Start offset in bytes.")]
    public long Start { get; set; }

    [Description("Size in bytes.")]
    public long Size { get; set; }

    [Description("Filesystem type (ext4, xfs, vfat, swap, ...), if recognised.")]
    public string? Filesystem { get; set; }

    [Description("Filesystem UUID.")]
    public string? Uuid { get; set; }

    [Description("Filesystem label.")]
    public string? Label { get; set; }
}
