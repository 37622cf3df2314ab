using System.Text.Json.Serialization.Metadata;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>A small custom resource for runtime tests: spec changes bump generation, status changes do not.</summary>
public sealed class TestWidget : IKubernetesObject<TestWidget>
{
    public static ResourceType Resource { get; } = new("test.imprint.dev", "v1", "Widget", "widgets", Namespaced: true);

    public static JsonTypeInfo<TestWidget> JsonTypeInfo => TestJsonContext.Default.TestWidget;

    public static JsonTypeInfo<KubernetesList<TestWidget>> ListJsonTypeInfo => TestJsonContext.Default.KubernetesListTestWidget;

    public static JsonTypeInfo<WatchEvent<TestWidget>> WatchEventJsonTypeInfo => TestJsonContext.Default.WatchEventTestWidget;

    public string? ApiVersion { get; set; } = "test.imprint.dev/v1";

    public string? Kind { get; set; } = "Widget";

    public V1ObjectMeta Metadata { get; set; } = new();

    public WidgetSpec Spec { get; set; } = new();

    public WidgetStatus? Status { get; set; }

    public static TestWidget Named(string name, int size = 1, string ns = "default") =>
        new() { Metadata = new V1ObjectMeta { Name = name, Namespace = ns }, Spec = new WidgetSpec { Size = size } };

    public sealed class WidgetSpec
    {
        public int Size { get; set; }
    }

    public sealed class WidgetStatus
    {
        public string? Phase { get; set; }
    }
}
