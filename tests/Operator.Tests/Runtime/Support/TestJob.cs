using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Stands in for batch/v1 Job: only metadata matters to the runtime.</summary>
[KubernetesEntity(Group = "batch", ApiVersion = "v1", Kind = "Job", PluralName = "jobs")]
public sealed class TestJob : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "batch/v1";

    public string Kind { get; set; } = "Job";

    public V1ObjectMeta Metadata { get; set; } = new();
}
