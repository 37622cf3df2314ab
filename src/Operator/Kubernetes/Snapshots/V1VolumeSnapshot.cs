using k8s;
using k8s.Models;

namespace Imprint.Operator.Kubernetes.Snapshots;

/// <summary>snapshot.storage.k8s.io/v1 VolumeSnapshot (CSI external-snapshotter; the client library has no model of it).</summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = KindName, PluralName = "volumesnapshots")]
public sealed class V1VolumeSnapshot : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "snapshot.storage.k8s.io";

    public const string Version = "v1";

    public const string KindName = "VolumeSnapshot";

    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1VolumeSnapshotSpec Spec { get; set; } = new();

    public V1VolumeSnapshotStatus? Status { get; set; }
}
