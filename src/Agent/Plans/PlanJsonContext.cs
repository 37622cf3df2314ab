using System.Text.Json;
using System.Text.Json.Serialization;

namespace Imprint.Agent.Plans;

/// <summary>Source-generated JSON for plan documents (camelCase; unknown fields are refused so a typo is not ignored).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PlanDocument))]
public sealed partial class PlanJsonContext : JsonSerializerContext;
