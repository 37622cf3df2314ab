using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes;

/// <summary>metadata of a list: the resourceVersion to watch from and the pagination token.</summary>
public sealed class V1ListMeta
{
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }
}
