namespace Imprint.Operator.Kubernetes.Models;

/// <summary>core/v1 NodeStatus: the resources pods may request there (quantities as strings, e.g. "110", "1k").</summary>
public sealed class V1NodeStatus
{
    public IDictionary<string, string>? Allocatable { get; set; }
}
