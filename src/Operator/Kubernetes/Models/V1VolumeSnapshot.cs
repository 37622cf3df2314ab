using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>snapshot.storage.k8s.io/v1 VolumeSnapshot (CSI external-snapshotter).</summary>
public sealed class V1VolumeSnapshot : IKubernetesObject<V1VolumeSnapshot>
{
    public static ResourceType Resource { get; } = new("snapshot.storage.k8s.io", "v1", "VolumeSnapshot", "volumesnapshots", Namespaced: true);

    public static JsonTypeInfo<V1VolumeSnapshot> JsonTypeInfo => KubernetesJsonContext.Default.V1VolumeSnapshot;

    public static JsonTypeInfo<KubernetesList<V1VolumeSnapshot>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1VolumeSnapshot;

    public static JsonTypeInfo<WatchEvent<V1VolumeSnapshot>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1VolumeSnapshot;

    public string? ApiVersion { get; set; } = "snapshot.storage.k8s.io/v1";

    public string? Kind { get; set; } = "VolumeSnapshot";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1VolumeSnapshotSpec Spec { get; set; } = new();

    public V1VolumeSnapshotStatus? Status { get; set; }
}
