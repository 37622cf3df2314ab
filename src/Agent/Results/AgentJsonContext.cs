using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Imprint.Agent.Results;

/// <summary>Source-generated JSON for the agent result (no reflection; camelCase; nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentResult))]
public sealed partial class AgentJsonContext : JsonSerializerContext
{
    /// <summary>Compact, with quotes and non-ASCII left readable (results are read by people too).</summary>
    public static AgentJsonContext Readable { get; } = new(CreateOptions(indented: false));

    /// <summary>Indented, for <c>--json</c> on a terminal.</summary>
    public static AgentJsonContext Indented { get; } = new(CreateOptions(indented: true));

    private static JsonSerializerOptions CreateOptions(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };
}
