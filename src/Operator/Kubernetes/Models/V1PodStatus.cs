namespace Imprint.Operator.Kubernetes.Models;

/// <summary>status of a Pod.</summary>
public sealed class V1PodStatus
{
    public string? Phase { get; set; }

    public string? NodeName { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public IList<V1ContainerStatus>? ContainerStatuses { get; set; }

    public IList<V1ContainerStatus>? InitContainerStatuses { get; set; }
}
