using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Which partition takes the space a larger target adds.</summary>
[Description("Which partition (and its filesystem) grows into the space a larger target adds.")]
public sealed class ResizeSpec
{
    [Default("auto")]
    [MaxLength(8)]
    [CelRule("type(self) == int ? self >= 1 : self == 'auto'", "partition must be \"auto\" or a partition number of at least 1")]
    [Description("\"auto\" (the root partition when it is the last one) or a partition number.")]
    public IntOrString? Partition { get; set; }
}
