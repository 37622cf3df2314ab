using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A PersistentVolumeClaim: the volumes Imprint reads and writes disk images on.</summary>
public sealed class V1PersistentVolumeClaim : IKubernetesObject<V1PersistentVolumeClaim>
{
    public static ResourceType Resource { get; } = new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", Namespaced: true);

    public static JsonTypeInfo<V1PersistentVolumeClaim> JsonTypeInfo => KubernetesJsonContext.Default.V1PersistentVolumeClaim;

    public static JsonTypeInfo<KubernetesList<V1PersistentVolumeClaim>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1PersistentVolumeClaim;

    public static JsonTypeInfo<WatchEvent<V1PersistentVolumeClaim>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1PersistentVolumeClaim;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "PersistentVolumeClaim";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1PersistentVolumeClaimSpec Spec { get; set; } = new();

    public V1PersistentVolumeClaimStatus? Status { get; set; }
}
