using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Cdi;

/// <summary>A claim, snapshot or DataSource by name and namespace (both required by CDI's schema).</summary>
public sealed class V1Beta1DataSourceReference
{
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("namespace")]
    public string Namespace { get; set; } = string.Empty;
}
