using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>): add, remove, replace, move, copy and test.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
            throw ApiException.BadRequest("the body of a json patch must be a JSON array of operations");
        JsonNode document = target;
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
                throw ApiException.BadRequest("every json patch operation must be an object");
            var kind = (string?)op["op"] ?? throw ApiException.BadRequest("json patch operation has no \"op\"");
            var path = (string?)op["path"] ?? throw ApiException.BadRequest($"json patch operation {kind} has no \"path\"");
            switch (kind)
            {
                case "add":
                    document = Add(document, path, Value(op, kind));
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, Value(op, kind));
                    break;
                case "move":
                    var moved = Read(document, From(op, kind));
                    Remove(document, From(op, kind));
                    document = Add(document, path, moved);
                    break;
                case "copy":
                    document = Add(document, path, Read(document, From(op, kind)));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Read(document, path), op["value"]))
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    break;
                default:
                    throw ApiException.BadRequest($"Unexpected kind: {kind}");
            }
        }
        return document as JsonObject ?? throw ApiException.BadRequest("json patch must produce an object");
    }

    private static JsonNode? Value(JsonObject op, string kind) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw ApiException.BadRequest($"json patch operation {kind} has no \"value\"");

    private static string From(JsonObject op, string kind) =>
        (string?)op["from"] ?? throw ApiException.BadRequest($"json patch operation {kind} has no \"from\"");

    private static JsonNode? Read(JsonNode document, string path)
    {
        var (parent, key) = Locate(document, path);
        return parent switch
        {
            null => document.DeepClone(),
            JsonObject obj when obj.TryGetPropertyValue(key, out var value) => value?.DeepClone(),
            JsonArray array when Index(array, key, forAdd: false) is var i => array[i]?.DeepClone(),
            _ => throw Missing(path),
        };
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        var (parent, key) = Locate(document, path);
        switch (parent)
        {
            case null:
                return value ?? throw ApiException.BadRequest("json patch cannot replace the document with null");
            case JsonObject obj:
                obj[key] = value;
                break;
            case JsonArray array:
                var index = Index(array, key, forAdd: true);
                array.Insert(index, value);
                break;
        }
        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        var (parent, key) = Locate(document, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(key):
                obj.Remove(key);
                break;
            case JsonArray array:
                array.RemoveAt(Index(array, key, forAdd: false));
                break;
            default:
                throw Missing(path);
        }
    }

    /// <summary>The container that holds the last path segment, or null for the whole document ("").</summary>
    private static (JsonNode? Parent, string Key) Locate(JsonNode document, string path)
    {
        if (path.Length == 0)
            return (null, "");
        if (path[0] != '/')
            throw ApiException.BadRequest($"invalid json patch path \"{path}\"");
        var segments = path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var node = document;
        foreach (var segment in segments[..^1])
        {
            node = node switch
            {
                JsonObject obj when obj[segment] is { } child => child,
                JsonArray array when array[Index(array, segment, forAdd: false)] is { } item => item,
                _ => throw Missing(path),
            };
        }
        return node is JsonObject or JsonArray ? (node, segments[^1]) : throw Missing(path);
    }

    private static int Index(JsonArray array, string segment, bool forAdd)
    {
        if (forAdd && segment == "-")
            return array.Count;
        if (!int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            || index > array.Count || (!forAdd && index == array.Count))
            throw ApiException.BadRequest($"json patch index \"{segment}\" is out of bounds");
        return index;
    }

    private static ApiException Missing(string path) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\": missing value");
}
