using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>storage.k8s.io/v1 StorageClass.</summary>
public sealed class V1StorageClass : IKubernetesObject<V1StorageClass>
{
    public static ResourceType Resource { get; } = new("storage.k8s.io", "v1", "StorageClass", "storageclasses", Namespaced: false);

    public static JsonTypeInfo<V1StorageClass> JsonTypeInfo => KubernetesJsonContext.Default.V1StorageClass;

    public static JsonTypeInfo<KubernetesList<V1StorageClass>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1StorageClass;

    public static JsonTypeInfo<WatchEvent<V1StorageClass>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1StorageClass;

    public string? ApiVersion { get; set; } = "storage.k8s.io/v1";

    public string? Kind { get; set; } = "StorageClass";

    public V1ObjectMeta Metadata { get; set; } = new();

    public string Provisioner { get; set; } = string.Empty;

    public string? VolumeBindingMode { get; set; }

    public bool? AllowVolumeExpansion { get; set; }

    public string? ReclaimPolicy { get; set; }

    public IDictionary<string, string>? Parameters { get; set; }
}
