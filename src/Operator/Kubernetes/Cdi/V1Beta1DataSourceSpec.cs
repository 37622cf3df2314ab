namespace Imprint.Operator.Kubernetes.Cdi;

/// <summary>What a DataSource points at.</summary>
public sealed class V1Beta1DataSourceSpec
{
    public V1Beta1DataSourceSource Source { get; set; } = new();
}
