namespace Imprint.Operator.Controllers.Configuration;

/// <summary>Storage settings (section <c>Imprint:Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Per StorageClass name: what it can do, overriding what the operator knows of its provisioner and what it observed
    /// (chart value <c>storage.capabilities</c>).
    /// </summary>
    public Dictionary<string, StorageClassCapabilityOption> Capabilities { get; set; } = new(StringComparer.Ordinal);
}
