using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>ValidatePodSpec for Pods and pod templates, and the Pod update rule (spec is immutable but for images and deadlines).</summary>
internal static class PodSpecValidator
{
    public static void Validate(JsonObject? spec, string path, bool isTemplate, FieldErrors errors)
    {
        if (spec is null)
        {
            errors.Required($"{path}.containers");
            return;
        }
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        var volumeList = spec["volumes"] as JsonArray ?? [];
        for (var i = 0; i < volumeList.Count; i++)
        {
            var name = (string?)volumeList[i]?["name"] ?? "";
            if (name.Length == 0)
                errors.Required($"{path}.volumes[{i}].name");
            else
                errors.Check($"{path}.volumes[{i}].name", name, NameRules.Label(name));
            if (name.Length > 0 && !volumes.Add(name))
                errors.Duplicate($"{path}.volumes[{i}].name", name);
        }
        if (spec["containers"] is not JsonArray { Count: > 0 } containers)
            errors.Required($"{path}.containers");
        else
            ValidateContainers(containers, $"{path}.containers", volumes, isTemplate, errors);
        if (spec["initContainers"] is JsonArray init)
            ValidateContainers(init, $"{path}.initContainers", volumes, isTemplate, errors);
        var restartPolicy = RestartPolicy(spec);
        if (restartPolicy is not ("Always" or "OnFailure" or "Never"))
            errors.NotSupported($"{path}.restartPolicy", restartPolicy, "Always", "OnFailure", "Never");
        if (spec["activeDeadlineSeconds"] is JsonValue deadline && deadline.TryGetValue<long>(out var seconds) && seconds <= 0)
            errors.Invalid($"{path}.activeDeadlineSeconds", deadline, "must be between 1 and 2147483647, inclusive");
        if ((string?)spec["serviceAccountName"] is { Length: > 0 } account)
            errors.Check($"{path}.serviceAccountName", account, NameRules.Subdomain(account));
    }

    /// <summary>The restart policy after defaulting (Always when absent).</summary>
    public static string RestartPolicy(JsonObject? spec) => (string?)spec?["restartPolicy"] is { Length: > 0 } policy ? policy : "Always";

    /// <summary>The fields a Pod update may change: container images, activeDeadlineSeconds and added tolerations.</summary>
    public static void ValidateUpdate(JsonObject? spec, JsonObject? oldSpec, FieldErrors errors)
    {
        var comparable = Mutable(spec);
        if (!JsonNode.DeepEquals(comparable, Mutable(oldSpec)))
        {
            errors.Forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        }
    }

    private static JsonObject Mutable(JsonObject? spec)
    {
        var copy = (JsonObject?)spec?.DeepClone() ?? [];
        copy.Remove("activeDeadlineSeconds");
        copy.Remove("tolerations");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (copy[list] as JsonArray ?? []).OfType<JsonObject>())
                container.Remove("image");
        }
        return copy;
    }

    private static void ValidateContainers(JsonArray containers, string path, HashSet<string> volumes, bool isTemplate, FieldErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var at = $"{path}[{i}]";
            var container = containers[i] as JsonObject ?? [];
            var name = (string?)container["name"] ?? "";
            if (name.Length == 0)
                errors.Required($"{at}.name");
            else
                errors.Check($"{at}.name", name, NameRules.Label(name));
            if (name.Length > 0 && !names.Add(name))
                errors.Duplicate($"{at}.name", name);
            // Workload templates may leave the image to be filled in later; a Pod may not.
            if (!isTemplate && string.IsNullOrWhiteSpace((string?)container["image"]))
                errors.Required($"{at}.image");
            var mounted = new HashSet<string>(StringComparer.Ordinal);
            var mounts = container["volumeMounts"] as JsonArray ?? [];
            for (var m = 0; m < mounts.Count; m++)
            {
                var volume = (string?)mounts[m]?["name"] ?? "";
                mounted.Add(volume);
                if (!volumes.Contains(volume))
                    errors.NotFound($"{at}.volumeMounts[{m}].name", volume);
                if (string.IsNullOrEmpty((string?)mounts[m]?["mountPath"]))
                    errors.Required($"{at}.volumeMounts[{m}].mountPath");
            }
            var devices = container["volumeDevices"] as JsonArray ?? [];
            for (var d = 0; d < devices.Count; d++)
            {
                var volume = (string?)devices[d]?["name"] ?? "";
                if (!volumes.Contains(volume))
                    errors.NotFound($"{at}.volumeDevices[{d}].name", volume);
                if (mounted.Contains(volume))
                    errors.Invalid($"{at}.volumeDevices[{d}].name", volume, "can not be used in both volumeMounts and volumeDevices");
                if (string.IsNullOrEmpty((string?)devices[d]?["devicePath"]))
                    errors.Required($"{at}.volumeDevices[{d}].devicePath");
            }
        }
    }
}
