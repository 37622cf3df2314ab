namespace Imprint.Operator.Kubernetes.Models;

/// <summary>status of a Pod.</summary>
public sealed class V1PodStatus
{
    public string? Phase { get; set; }

    /// <summary>The node's IP; the node's name is <c>spec.nodeName</c>, not a status field.</summary>
    public string? HostIP { get; set; }

    /// <summary>The pod's own IP once it runs (the transfer client dials it).</summary>
    public string? PodIP { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public IList<V1ContainerStatus>? ContainerStatuses { get; set; }

    public IList<V1ContainerStatus>? InitContainerStatuses { get; set; }
}
