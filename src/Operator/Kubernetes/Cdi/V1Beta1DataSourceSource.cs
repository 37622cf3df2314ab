namespace Imprint.Operator.Kubernetes.Cdi;

/// <summary>Exactly one of a claim, a snapshot or another DataSource; upstream requires both name and namespace in each.</summary>
public sealed class V1Beta1DataSourceSource
{
    public V1Beta1DataSourceReference? Pvc { get; set; }

    public V1Beta1DataSourceReference? Snapshot { get; set; }

    public V1Beta1DataSourceReference? DataSource { get; set; }
}
