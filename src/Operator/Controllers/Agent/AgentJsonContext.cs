using System.Text.Json.Serialization;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>Source-generated JSON for what the agent reports (camelCase, unknown fields ignored).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentResultDocument))]
[JsonSerializable(typeof(AgentProgressDocument))]
public sealed partial class AgentJsonContext : JsonSerializerContext;
