namespace Imprint.Operator.Kubernetes;

/// <summary>A list response (<c>FooList</c>).</summary>
public sealed class KubernetesList<T>
    where T : class
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
