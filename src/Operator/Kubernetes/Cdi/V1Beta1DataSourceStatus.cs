using k8s.Models;

namespace Imprint.Operator.Kubernetes.Cdi;

/// <summary>What CDI observed: condition Ready and, while ready, the resolved source.</summary>
public sealed class V1Beta1DataSourceStatus
{
    public IList<V1Condition>? Conditions { get; set; }

    public V1Beta1DataSourceSource? Source { get; set; }
}
