namespace Imprint.Operator.Kubernetes.Snapshots;

/// <summary>What a snapshot is taken from (a claim) or bound to (pre-provisioned content).</summary>
public sealed class V1VolumeSnapshotSource
{
    public string? PersistentVolumeClaimName { get; set; }

    public string? VolumeSnapshotContentName { get; set; }
}
