namespace Imprint.Operator.Kubernetes.Models;

/// <summary>template of a Job: the pod's labels/annotations and spec.</summary>
public sealed class V1PodTemplateSpec
{
    public V1ObjectMeta? Metadata { get; set; }

    public V1PodSpec? Spec { get; set; }
}
