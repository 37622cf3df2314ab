using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>batch/v1 Job validation: a template whose pods never restart in place, non-negative counts, an immutable template.</summary>
internal static class JobValidator
{
    public static void Validate(JsonObject job, JsonObject? old, FieldErrors errors)
    {
        var name = ObjectMeta.Name(job);
        // The name becomes the batch.kubernetes.io/job-name label of its pods, so it must fit a label value.
        if (name.Length > 63)
            errors.Invalid("metadata.name", name, "must be no more than 63 characters");
        var spec = job["spec"] as JsonObject ?? [];
        var template = spec["template"] as JsonObject;
        var podSpec = template?["spec"] as JsonObject;
        PodSpecValidator.Validate(podSpec, "spec.template.spec", isTemplate: true, errors);
        var restartPolicy = PodSpecValidator.RestartPolicy(podSpec);
        if (restartPolicy is not ("OnFailure" or "Never"))
            errors.NotSupported("spec.template.spec.restartPolicy", restartPolicy, "OnFailure", "Never");
        foreach (var field in new[] { "parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished" })
        {
            if (spec[field] is JsonValue value && value.TryGetValue<long>(out var number) && number < 0)
                errors.Invalid($"spec.{field}", value, "must be greater than or equal to 0");
        }
        if (spec["activeDeadlineSeconds"] is JsonValue deadline && deadline.TryGetValue<long>(out var seconds) && seconds <= 0)
            errors.Invalid("spec.activeDeadlineSeconds", deadline, "must be greater than 0");
        if (template?["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                errors.Check("spec.template.metadata.labels", key, NameRules.QualifiedName(key));
                errors.Check("spec.template.metadata.labels", (string?)value ?? "", NameRules.LabelValue((string?)value ?? ""));
            }
        }
        if (old?["spec"] is not JsonObject oldSpec)
            return;
        foreach (var field in new[] { "template", "selector", "completions", "completionMode", "podFailurePolicy" })
        {
            if (!JsonNode.DeepEquals(spec[field], oldSpec[field]))
                errors.Immutable($"spec.{field}", spec[field]?.DeepClone());
        }
    }
}
