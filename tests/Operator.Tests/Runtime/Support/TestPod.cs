using System.Text.Json.Serialization.Metadata;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Stands in for v1 Pod.</summary>
public sealed class TestPod : IKubernetesObject<TestPod>
{
    public static ResourceType Resource { get; } = new(string.Empty, "v1", "Pod", "pods", Namespaced: true);

    public static JsonTypeInfo<TestPod> JsonTypeInfo => TestJsonContext.Default.TestPod;

    public static JsonTypeInfo<KubernetesList<TestPod>> ListJsonTypeInfo => TestJsonContext.Default.KubernetesListTestPod;

    public static JsonTypeInfo<WatchEvent<TestPod>> WatchEventJsonTypeInfo => TestJsonContext.Default.WatchEventTestPod;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Pod";

    public V1ObjectMeta Metadata { get; set; } = new();
}
