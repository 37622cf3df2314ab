using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Drops fields the structural schema does not declare, silently, as the real server does.</summary>
internal static class SchemaPruner
{
    public static void Prune(JsonNode? node, JsonObject schema, bool isRoot = false)
    {
        if (IsTrue(schema, "x-kubernetes-int-or-string"))
            return;
        if (node is JsonArray array)
        {
            if (schema["items"] is JsonObject items)
            {
                foreach (var item in array)
                    Prune(item, items);
            }
            return;
        }
        if (node is not JsonObject obj)
            return;
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = IsTrue(schema, "x-kubernetes-preserve-unknown-fields");
        foreach (var (key, value) in obj.ToList())
        {
            if (isRoot && key is "apiVersion" or "kind" or "metadata")
                continue;
            if (properties?[key] is JsonObject propertySchema)
                Prune(value, propertySchema);
            else if (additional is not null)
                Prune(value, additional);
            else if (!preserve)
                obj.Remove(key);
        }
    }

    public static bool IsTrue(JsonObject schema, string name) =>
        schema[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
