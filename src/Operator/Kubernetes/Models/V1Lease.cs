using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>coordination.k8s.io/v1 Lease: the lock leader election holds and renews.</summary>
public sealed class V1Lease : IKubernetesObject<V1Lease>
{
    public static ResourceType Resource { get; } = new("coordination.k8s.io", "v1", "Lease", "leases", Namespaced: true);

    public static JsonTypeInfo<V1Lease> JsonTypeInfo => KubernetesJsonContext.Default.V1Lease;

    public static JsonTypeInfo<KubernetesList<V1Lease>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1Lease;

    public static JsonTypeInfo<WatchEvent<V1Lease>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1Lease;

    public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";

    public string? Kind { get; set; } = "Lease";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1LeaseSpec? Spec { get; set; }
}
