namespace Imprint.Operator.Kubernetes.Models;

/// <summary>One volume of a pod; exactly one source is set.</summary>
public sealed class V1Volume
{
    public string Name { get; set; } = string.Empty;

    public V1PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }

    public V1SecretVolumeSource? Secret { get; set; }

    public V1ConfigMapVolumeSource? ConfigMap { get; set; }

    public V1EmptyDirVolumeSource? EmptyDir { get; set; }

    public V1ProjectedVolumeSource? Projected { get; set; }
}
