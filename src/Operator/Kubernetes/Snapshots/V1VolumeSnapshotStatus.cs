namespace Imprint.Operator.Kubernetes.Snapshots;

/// <summary>status of a VolumeSnapshot.</summary>
public sealed class V1VolumeSnapshotStatus
{
    public bool? ReadyToUse { get; set; }

    public string? RestoreSize { get; set; }

    public string? BoundVolumeSnapshotContentName { get; set; }

    public DateTimeOffset? CreationTime { get; set; }

    public V1VolumeSnapshotError? Error { get; set; }
}
