using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A ServiceAccount (the agent's identity in each namespace where it runs).</summary>
public sealed class V1ServiceAccount : IKubernetesObject<V1ServiceAccount>
{
    public static ResourceType Resource { get; } = new("", "v1", "ServiceAccount", "serviceaccounts", Namespaced: true);

    public static JsonTypeInfo<V1ServiceAccount> JsonTypeInfo => KubernetesJsonContext.Default.V1ServiceAccount;

    public static JsonTypeInfo<KubernetesList<V1ServiceAccount>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1ServiceAccount;

    public static JsonTypeInfo<WatchEvent<V1ServiceAccount>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1ServiceAccount;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "ServiceAccount";

    public V1ObjectMeta Metadata { get; set; } = new();

    public bool? AutomountServiceAccountToken { get; set; }
}
