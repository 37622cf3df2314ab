namespace Imprint.Operator.Kubernetes.Models;

/// <summary>dataSource / dataSourceRef of a claim: what to populate the volume from.</summary>
public sealed class V1TypedObjectReference
{
    public string? ApiGroup { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }
}
