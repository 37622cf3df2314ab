using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>core/v1 Node: only what the operator reads (labels, whether it is cordoned, what it can allocate).</summary>
public sealed class V1Node : IKubernetesObject<V1Node>
{
    public static ResourceType Resource { get; } = new(string.Empty, "v1", "Node", "nodes", Namespaced: false);

    public static JsonTypeInfo<V1Node> JsonTypeInfo => KubernetesJsonContext.Default.V1Node;

    public static JsonTypeInfo<KubernetesList<V1Node>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1Node;

    public static JsonTypeInfo<WatchEvent<V1Node>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1Node;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Node";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1NodeSpec? Spec { get; set; }

    public V1NodeStatus? Status { get; set; }
}
