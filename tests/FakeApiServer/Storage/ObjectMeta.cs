using System.Globalization;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Small accessors for <c>metadata</c> on raw JSON objects.</summary>
internal static class ObjectMeta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
            return meta;
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    public static string? Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"];

    public static string? ResourceVersion(JsonObject obj) => (string?)obj["metadata"]?["resourceVersion"];

    public static string? Uid(JsonObject obj) => (string?)obj["metadata"]?["uid"];

    public static bool HasFinalizers(JsonObject obj) => obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray list ? [.. list.Select(f => (string?)f ?? "")] : [];

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue value ? long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : 0;

    public static bool IsOwnedBy(JsonObject obj, string ownerUid) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => (string?)r?["uid"] == ownerUid);

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Everything outside metadata and status: what <c>metadata.generation</c> tracks.</summary>
    public static JsonObject Spec(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }
}
