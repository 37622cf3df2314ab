using k8s;
using k8s.Models;

namespace Imprint.Operator.Kubernetes.Snapshots;

/// <summary>snapshot.storage.k8s.io/v1 VolumeSnapshotClass: which CSI driver takes the snapshots of its class (cluster-scoped).</summary>
[KubernetesEntity(Group = V1VolumeSnapshot.Group, ApiVersion = V1VolumeSnapshot.Version, Kind = KindName, PluralName = "volumesnapshotclasses")]
public sealed class V1VolumeSnapshotClass : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "VolumeSnapshotClass";

    public string ApiVersion { get; set; } = $"{V1VolumeSnapshot.Group}/{V1VolumeSnapshot.Version}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    public string Driver { get; set; } = string.Empty;

    public string? DeletionPolicy { get; set; }
}
