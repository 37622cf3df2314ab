using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Stands in for v1 Pod.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Pod", PluralName = "pods")]
public sealed class TestPod : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "v1";

    public string Kind { get; set; } = "Pod";

    public V1ObjectMeta Metadata { get; set; } = new();
}
