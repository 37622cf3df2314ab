using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Fills <c>default</c> values for absent properties, top-down, like the real server's structural defaulting.</summary>
internal static class SchemaDefaulter
{
    public static void Apply(JsonNode? node, JsonObject schema)
    {
        if (node is JsonArray array)
        {
            if (schema["items"] is JsonObject items)
            {
                foreach (var item in array)
                    Apply(item, items);
            }
            return;
        }
        if (node is not JsonObject obj)
            return;
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (key, propertySchema) in properties)
            {
                if (propertySchema is not JsonObject ps)
                    continue;
                if (!obj.ContainsKey(key) && ps["default"] is { } value)
                    obj[key] = value.DeepClone();
                if (obj[key] is { } child)
                    Apply(child, ps);
            }
        }
        if (schema["additionalProperties"] is JsonObject additional)
        {
            foreach (var (_, value) in obj.ToList())
                Apply(value, additional);
        }
    }
}
