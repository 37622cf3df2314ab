namespace Imprint.Operator.Kubernetes.Snapshots;

/// <summary>spec of a VolumeSnapshot.</summary>
public sealed class V1VolumeSnapshotSpec
{
    public V1VolumeSnapshotSource Source { get; set; } = new();

    public string? VolumeSnapshotClassName { get; set; }
}
