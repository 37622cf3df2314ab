using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A Namespace.</summary>
public sealed class V1Namespace : IKubernetesObject<V1Namespace>
{
    public static ResourceType Resource { get; } = new("", "v1", "Namespace", "namespaces", Namespaced: false);

    public static JsonTypeInfo<V1Namespace> JsonTypeInfo => KubernetesJsonContext.Default.V1Namespace;

    public static JsonTypeInfo<KubernetesList<V1Namespace>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1Namespace;

    public static JsonTypeInfo<WatchEvent<V1Namespace>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1Namespace;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Namespace";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1NamespaceStatus? Status { get; set; }
}
