using System.Text.Json.Serialization;
using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Apis;

/// <summary>
/// Source-generated JSON contracts of the Imprint kinds: camelCase names, enums as their names, nulls omitted
/// (so an absent field stays absent and defaults on the API server apply). The client puts this context first in
/// the client library's JSON settings, so objects on the wire use these contracts with the library's converters
/// (RFC 3339 times) for every type they share.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(V1Alpha1GoldenImage))]
[JsonSerializable(typeof(V1Alpha1VmClone))]
[JsonSerializable(typeof(V1Alpha1CloneTemplate))]
public sealed partial class ImprintJsonContext : JsonSerializerContext;
