using System.ComponentModel;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>How long each step took, in milliseconds.</summary>
[Description("How long each step took, in milliseconds.")]
public sealed class CloneDurations
{
    [Description("Copying the golden disk.")]
    public long? CloneMs { get; set; }

    [Description("Customizing the guest.")]
    public long? CustomizeMs { get; set; }

    [Description("Growing the partition and filesystem.")]
    public long? ResizeMs { get; set; }
}
