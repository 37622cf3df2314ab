namespace Imprint.Operator.Kubernetes.Models;

/// <summary>spec of a PersistentVolumeClaim.</summary>
public sealed class V1PersistentVolumeClaimSpec
{
    public IList<string>? AccessModes { get; set; }

    public V1VolumeResourceRequirements? Resources { get; set; }

    public string? StorageClassName { get; set; }

    public string? VolumeMode { get; set; }

    public V1TypedObjectReference? DataSource { get; set; }

    public V1TypedObjectReference? DataSourceRef { get; set; }

    public string? VolumeName { get; set; }
}
