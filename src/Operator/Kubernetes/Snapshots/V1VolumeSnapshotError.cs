namespace Imprint.Operator.Kubernetes.Snapshots;

/// <summary>The last error of a snapshot.</summary>
public sealed class V1VolumeSnapshotError
{
    public string? Message { get; set; }

    public DateTimeOffset? Time { get; set; }
}
