using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A ConfigMap.</summary>
public sealed class V1ConfigMap : IKubernetesObject<V1ConfigMap>
{
    public static ResourceType Resource { get; } = new("", "v1", "ConfigMap", "configmaps", Namespaced: true);

    public static JsonTypeInfo<V1ConfigMap> JsonTypeInfo => KubernetesJsonContext.Default.V1ConfigMap;

    public static JsonTypeInfo<KubernetesList<V1ConfigMap>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1ConfigMap;

    public static JsonTypeInfo<WatchEvent<V1ConfigMap>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1ConfigMap;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "ConfigMap";

    public V1ObjectMeta Metadata { get; set; } = new();

    public IDictionary<string, string>? Data { get; set; }

    public IDictionary<string, string>? BinaryData { get; set; }

    public bool? Immutable { get; set; }
}
