using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>snapshot.storage.k8s.io/v1 VolumeSnapshotClass: which CSI driver takes the snapshots of its class.</summary>
public sealed class V1VolumeSnapshotClass : IKubernetesObject<V1VolumeSnapshotClass>
{
    public static ResourceType Resource { get; } = new("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses", Namespaced: false);

    public static JsonTypeInfo<V1VolumeSnapshotClass> JsonTypeInfo => KubernetesJsonContext.Default.V1VolumeSnapshotClass;

    public static JsonTypeInfo<KubernetesList<V1VolumeSnapshotClass>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1VolumeSnapshotClass;

    public static JsonTypeInfo<WatchEvent<V1VolumeSnapshotClass>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1VolumeSnapshotClass;

    public string? ApiVersion { get; set; } = "snapshot.storage.k8s.io/v1";

    public string? Kind { get; set; } = "VolumeSnapshotClass";

    public V1ObjectMeta Metadata { get; set; } = new();

    public string Driver { get; set; } = string.Empty;

    public string? DeletionPolicy { get; set; }
}
