using System.Text.Json.Serialization.Metadata;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Stands in for batch/v1 Job: only metadata matters to the runtime.</summary>
public sealed class TestJob : IKubernetesObject<TestJob>
{
    public static ResourceType Resource { get; } = new("batch", "v1", "Job", "jobs", Namespaced: true);

    public static JsonTypeInfo<TestJob> JsonTypeInfo => TestJsonContext.Default.TestJob;

    public static JsonTypeInfo<KubernetesList<TestJob>> ListJsonTypeInfo => TestJsonContext.Default.KubernetesListTestJob;

    public static JsonTypeInfo<WatchEvent<TestJob>> WatchEventJsonTypeInfo => TestJsonContext.Default.WatchEventTestJob;

    public string? ApiVersion { get; set; } = "batch/v1";

    public string? Kind { get; set; } = "Job";

    public V1ObjectMeta Metadata { get; set; } = new();
}
