using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// Strategic merge patch for built-in kinds: a merge patch whose lists with a merge key (containers by name,
/// ownerReferences by uid, conditions by type…) merge item by item, and whose finalizers merge as a set; other lists
/// are replaced. <c>$patch: delete</c> on a list item removes it. The real server derives this from Go struct tags.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["ports"] = "containerPort",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["tolerations"] = "key",
    };

    private static readonly HashSet<string> MergedSets = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject.ToList())
        {
            if (key.StartsWith('$'))
                continue; // Directives such as $retainKeys are hints the fake does not need.
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            if (value is JsonArray items && result[key] is JsonArray existing)
            {
                if (MergeKeys.TryGetValue(key, out var mergeKey))
                {
                    result[key] = MergeList(existing, items, mergeKey);
                    continue;
                }
                if (MergedSets.Contains(key))
                {
                    var merged = (JsonArray)existing.DeepClone();
                    foreach (var item in items.Where(i => !merged.Any(m => JsonNode.DeepEquals(m, i))))
                        merged.Add(item?.DeepClone());
                    result[key] = merged;
                    continue;
                }
            }
            result[key] = Apply(result[key]?.DeepClone(), value);
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray existing, JsonArray patch, string mergeKey)
    {
        var merged = (JsonArray)existing.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToJsonString();
            var match = merged.OfType<JsonObject>().FirstOrDefault(m => m[mergeKey]?.ToJsonString() == key);
            if ((string?)item["$patch"] == "delete")
            {
                if (match is not null)
                    merged.Remove(match);
                continue;
            }
            if (match is null)
                merged.Add(Apply(null, item));
            else
                merged[merged.IndexOf(match)] = Apply(match.DeepClone(), item);
        }
        return merged;
    }
}
