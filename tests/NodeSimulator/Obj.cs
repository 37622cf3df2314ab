using System.Globalization;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>Accessors and small builders for raw Kubernetes JSON objects.</summary>
internal static class Obj
{
    public static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    public static string Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"] ?? "";

    public static string Uid(JsonObject obj) => (string?)obj["metadata"]?["uid"] ?? "";

    public static string Kind(JsonObject obj) => (string?)obj["kind"] ?? "";

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static string? Annotation(JsonObject obj, string key) => (string?)obj["metadata"]?["annotations"]?[key];

    public static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var l) ? l : null;

    public static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    public static IEnumerable<JsonObject> Objects(JsonNode? array) => (array as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The controller owner reference of the given kind, as the real controllers look it up.</summary>
    public static JsonObject? ControllerRef(JsonObject obj, string kind) =>
        Objects(obj["metadata"]?["ownerReferences"]).FirstOrDefault(r => Bool(r["controller"]) && Str(r["kind"]) == kind);

    /// <summary>RFC 3339 in whole seconds, as the API server serializes metav1.Time.</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static DateTime? Time(JsonNode? node) =>
        Str(node) is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>A merge patch that turns <paramref name="current"/> into <paramref name="desired"/>: removed keys become null.</summary>
    public static JsonObject Replacing(JsonObject? current, JsonObject desired)
    {
        var patch = (JsonObject)desired.DeepClone();
        foreach (var (key, _) in current ?? [])
        {
            if (!desired.ContainsKey(key))
                patch[key] = null;
        }
        return patch;
    }

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
