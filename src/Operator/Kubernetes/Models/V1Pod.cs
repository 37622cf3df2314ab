using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A Pod (read to find a Job's container results).</summary>
public sealed class V1Pod : IKubernetesObject<V1Pod>
{
    public static ResourceType Resource { get; } = new("", "v1", "Pod", "pods", Namespaced: true);

    public static JsonTypeInfo<V1Pod> JsonTypeInfo => KubernetesJsonContext.Default.V1Pod;

    public static JsonTypeInfo<KubernetesList<V1Pod>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1Pod;

    public static JsonTypeInfo<WatchEvent<V1Pod>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1Pod;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Pod";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1PodSpec Spec { get; set; } = new();

    public V1PodStatus? Status { get; set; }
}
