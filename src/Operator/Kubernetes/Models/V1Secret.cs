using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A Secret. <c>data</c> holds base64 strings; use the byte helpers to read and write them.</summary>
public sealed class V1Secret : IKubernetesObject<V1Secret>
{
    public static ResourceType Resource { get; } = new("", "v1", "Secret", "secrets", Namespaced: true);

    public static JsonTypeInfo<V1Secret> JsonTypeInfo => KubernetesJsonContext.Default.V1Secret;

    public static JsonTypeInfo<KubernetesList<V1Secret>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1Secret;

    public static JsonTypeInfo<WatchEvent<V1Secret>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1Secret;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Secret";

    public V1ObjectMeta Metadata { get; set; } = new();

    public string? Type { get; set; }

    public IDictionary<string, string>? Data { get; set; }

    public IDictionary<string, string>? StringData { get; set; }

    public bool? Immutable { get; set; }

    /// <summary>Decodes one key of <c>data</c>; null when absent.</summary>
    public byte[]? GetData(string key) =>
        Data is not null && Data.TryGetValue(key, out var value) ? Convert.FromBase64String(value) : null;

    /// <summary>Sets one key of <c>data</c> from raw bytes (base64-encoded on the wire).</summary>
    public void SetData(string key, ReadOnlySpan<byte> value)
    {
        Data ??= new Dictionary<string, string>(StringComparer.Ordinal);
        Data[key] = Convert.ToBase64String(value);
    }
}
