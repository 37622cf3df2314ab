using System.Text.Json.Serialization;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Apis;

/// <summary>
/// Source-generated JSON contracts of the Imprint kinds: camelCase names, enums as their names, nulls omitted
/// (so an absent field stays absent and defaults on the API server apply).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(V1Alpha1GoldenImage))]
[JsonSerializable(typeof(KubernetesList<V1Alpha1GoldenImage>), TypeInfoPropertyName = "V1Alpha1GoldenImageList")]
[JsonSerializable(typeof(WatchEvent<V1Alpha1GoldenImage>), TypeInfoPropertyName = "V1Alpha1GoldenImageWatchEvent")]
[JsonSerializable(typeof(V1Alpha1VmClone))]
[JsonSerializable(typeof(KubernetesList<V1Alpha1VmClone>), TypeInfoPropertyName = "V1Alpha1VmCloneList")]
[JsonSerializable(typeof(WatchEvent<V1Alpha1VmClone>), TypeInfoPropertyName = "V1Alpha1VmCloneWatchEvent")]
public sealed partial class ImprintJsonContext : JsonSerializerContext;
