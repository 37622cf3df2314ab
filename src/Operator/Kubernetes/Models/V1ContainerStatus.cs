namespace Imprint.Operator.Kubernetes.Models;

/// <summary>status of one container of a pod.</summary>
public sealed class V1ContainerStatus
{
    public string Name { get; set; } = string.Empty;

    public V1ContainerState? State { get; set; }

    public V1ContainerState? LastState { get; set; }

    public bool? Ready { get; set; }

    public int? RestartCount { get; set; }

    public string? Image { get; set; }
}
