using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>PersistentVolumeClaim validation: access modes, a positive storage request, and a spec frozen after create except growth of a bound claim.</summary>
internal static class ClaimValidator
{
    private static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

    public static void Validate(JsonObject claim, JsonObject? old, FieldErrors errors)
    {
        var spec = claim["spec"] as JsonObject ?? [];
        if (old is null)
            ValidateSpec(spec, errors);
        else
            ValidateUpdate(spec, old, errors);
    }

    private static void ValidateSpec(JsonObject spec, FieldErrors errors)
    {
        var modes = spec["accessModes"] as JsonArray ?? [];
        if (modes.Count == 0)
            errors.Required("spec.accessModes", "at least 1 access mode is required");
        foreach (var mode in modes.Select(m => (string?)m ?? ""))
        {
            if (!AccessModes.Contains(mode))
                errors.NotSupported("spec.accessModes", mode, AccessModes);
        }
        if (modes.Count > 1 && modes.Any(m => (string?)m == "ReadWriteOncePod"))
            errors.Forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes");
        var storage = spec["resources"]?["requests"]?["storage"];
        if (storage is null)
        {
            errors.Required("spec.resources[storage]");
        }
        else
        {
            var text = storage is JsonValue v && v.TryGetValue<string>(out var s) ? s : storage.ToJsonString();
            var bytes = Quantity.Parse(text) ?? throw ApiException.BadRequest($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (spec.resources.requests.storage: \"{text}\")");
            if (bytes <= 0)
                errors.Invalid("spec.resources[storage]", text, "must be greater than zero");
        }
        if ((string?)spec["volumeMode"] is { } mode2 && mode2 is not ("Block" or "Filesystem"))
            errors.NotSupported("spec.volumeMode", mode2, "Block", "Filesystem");
        if ((string?)spec["storageClassName"] is { Length: > 0 } className)
            errors.Check("spec.storageClassName", className, NameRules.Subdomain(className));
        foreach (var field in new[] { "dataSource", "dataSourceRef" })
        {
            if (spec[field] is not JsonObject source)
                continue;
            if (string.IsNullOrEmpty((string?)source["name"]))
                errors.Required($"spec.{field}.name");
            var kind = (string?)source["kind"] ?? "";
            var group = (string?)source["apiGroup"] ?? "";
            if (kind.Length == 0)
                errors.Required($"spec.{field}.kind");
            else if (group.Length == 0 && kind != "PersistentVolumeClaim")
                errors.Invalid($"spec.{field}.kind", kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup");
            else if (group.Length > 0)
                errors.Check($"spec.{field}.apiGroup", group, NameRules.Subdomain(group));
        }
    }

    private static void ValidateUpdate(JsonObject spec, JsonObject old, FieldErrors errors)
    {
        var oldSpec = old["spec"] as JsonObject ?? [];
        var bound = (string?)old["status"]?["phase"] == "Bound";
        if (string.IsNullOrEmpty((string?)oldSpec["volumeName"]) && spec["volumeName"] is not null)
        {
            // Binding: the volume name may be filled in once.
            oldSpec = (JsonObject)oldSpec.DeepClone();
            oldSpec["volumeName"] = spec["volumeName"]?.DeepClone();
        }
        var resized = !JsonNode.DeepEquals(spec["resources"]?["requests"], oldSpec["resources"]?["requests"]);
        if (!JsonNode.DeepEquals(Frozen(spec), Frozen(oldSpec)) || (resized && !bound))
        {
            errors.Forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
            return;
        }
        if (!resized)
            return;
        var requested = Quantity.Parse((string?)spec["resources"]?["requests"]?["storage"]);
        var previous = Quantity.Parse((string?)oldSpec["resources"]?["requests"]?["storage"]);
        var capacity = Quantity.Parse((string?)old["status"]?["capacity"]?["storage"]);
        if (requested is null)
            errors.Required("spec.resources[storage]");
        else if (capacity is { } cap && requested < cap)
            errors.Forbidden("spec.resources.requests.storage", "field can not be less than status.capacity");
        else if (previous is { } prev && requested < prev)
            errors.Forbidden("spec.resources.requests.storage", "field can not be less than previous value");
    }

    private static JsonObject Frozen(JsonObject spec)
    {
        var copy = (JsonObject)spec.DeepClone();
        (copy["resources"] as JsonObject)?.Remove("requests");
        copy.Remove("volumeAttributesClassName");
        return copy;
    }
}
