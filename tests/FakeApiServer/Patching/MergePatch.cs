using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>): null deletes, objects merge, the rest replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject.ToList())
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var merged = Apply(result[key]?.DeepClone(), value);
            result[key] = merged;
        }
        return result;
    }
}
