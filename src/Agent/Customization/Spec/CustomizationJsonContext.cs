using System.Text.Json.Serialization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>Source-generated JSON for the customization spec (camelCase, the VmClone shape).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CustomizationSpec))]
public sealed partial class CustomizationJsonContext : JsonSerializerContext;
