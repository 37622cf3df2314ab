namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A pod volume with the keys of a Secret as files.</summary>
public sealed class V1SecretVolumeSource
{
    public string? SecretName { get; set; }

    public IList<V1KeyToPath>? Items { get; set; }

    public int? DefaultMode { get; set; }

    public bool? Optional { get; set; }
}
