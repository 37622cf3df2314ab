namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A container not yet running.</summary>
public sealed class V1ContainerStateWaiting
{
    public string? Reason { get; set; }

    public string? Message { get; set; }
}
