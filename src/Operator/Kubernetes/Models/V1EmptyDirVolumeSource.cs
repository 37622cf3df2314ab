namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A scratch volume that lives as long as the pod.</summary>
public sealed class V1EmptyDirVolumeSource
{
    public string? Medium { get; set; }

    public string? SizeLimit { get; set; }
}
