namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A pod volume with the keys of a ConfigMap as files.</summary>
public sealed class V1ConfigMapVolumeSource
{
    public string? Name { get; set; }

    public IList<V1KeyToPath>? Items { get; set; }

    public int? DefaultMode { get; set; }

    public bool? Optional { get; set; }
}
