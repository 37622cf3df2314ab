using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>A small custom resource for runtime tests: spec changes bump generation, status changes do not.</summary>
[KubernetesEntity(Group = "test.imprint.dev", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class TestWidget : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "test.imprint.dev/v1";

    public string Kind { get; set; } = "Widget";

    public V1ObjectMeta Metadata { get; set; } = new();

    public WidgetSpec Spec { get; set; } = new();

    public WidgetStatus? Status { get; set; }

    /// <summary>Where the runtime tests' owner kind lives (owner references and watches name it).</summary>
    public static ResourceType Resource { get; } = ResourceType.Of<TestWidget>();

    public static TestWidget Named(string name, int size = 1, string ns = "default") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new WidgetSpec { Size = size } };

    public sealed class WidgetSpec
    {
        public int Size { get; set; }
    }

    public sealed class WidgetStatus
    {
        public string? Phase { get; set; }
    }
}
