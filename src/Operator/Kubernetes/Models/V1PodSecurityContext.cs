namespace Imprint.Operator.Kubernetes.Models;

/// <summary>securityContext of a pod.</summary>
public sealed class V1PodSecurityContext
{
    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public bool? RunAsNonRoot { get; set; }

    public long? FsGroup { get; set; }

    public V1SeccompProfile? SeccompProfile { get; set; }
}
