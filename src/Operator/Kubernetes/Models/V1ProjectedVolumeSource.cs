namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A pod volume that lays keys of several Secrets and ConfigMaps side by side in one folder.</summary>
public sealed class V1ProjectedVolumeSource
{
    public IList<V1VolumeProjection> Sources { get; set; } = [];

    public int? DefaultMode { get; set; }
}
