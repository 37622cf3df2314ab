using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>batch/v1 Job: how the operator runs the agent on a node.</summary>
public sealed class V1Job : IKubernetesObject<V1Job>
{
    public static ResourceType Resource { get; } = new("batch", "v1", "Job", "jobs", Namespaced: true);

    public static JsonTypeInfo<V1Job> JsonTypeInfo => KubernetesJsonContext.Default.V1Job;

    public static JsonTypeInfo<KubernetesList<V1Job>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1Job;

    public static JsonTypeInfo<WatchEvent<V1Job>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1Job;

    public string? ApiVersion { get; set; } = "batch/v1";

    public string? Kind { get; set; } = "Job";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1JobSpec Spec { get; set; } = new();

    public V1JobStatus? Status { get; set; }
}
