using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Static guest network configuration.</summary>
[Description("Guest network configuration; replaces the image's configuration for the listed interfaces.")]
public sealed class NetworkSpec
{
    [ListMap("name")]
    [MaxItems(16)]
    [Description("Interfaces, by name.")]
    public IList<NetworkInterfaceSpec>? Interfaces { get; set; }
}
