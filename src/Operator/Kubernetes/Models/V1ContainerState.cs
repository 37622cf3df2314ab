namespace Imprint.Operator.Kubernetes.Models;

/// <summary>Exactly one of running, waiting or terminated is set.</summary>
public sealed class V1ContainerState
{
    public V1ContainerStateTerminated? Terminated { get; set; }

    public V1ContainerStateRunning? Running { get; set; }

    public V1ContainerStateWaiting? Waiting { get; set; }
}
