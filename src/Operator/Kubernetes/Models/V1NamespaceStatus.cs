namespace Imprint.Operator.Kubernetes.Models;

/// <summary>status of a Namespace.</summary>
public sealed class V1NamespaceStatus
{
    public string? Phase { get; set; }
}
