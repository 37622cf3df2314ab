namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A running container.</summary>
public sealed class V1ContainerStateRunning
{
    public DateTimeOffset? StartedAt { get; set; }
}
