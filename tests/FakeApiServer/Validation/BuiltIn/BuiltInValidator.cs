using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// The real server's validation of the built-in kinds the operator writes (Pods, Jobs, PVCs, Secrets, ConfigMaps,
/// Events, Leases) plus ObjectMeta for every kind, on create and update; failures are 422 Invalid with causes.
/// </summary>
internal static class BuiltInValidator
{
    private const int DataMaxBytes = 1024 * 1024;

    /// <summary>Mutations the server makes before validating (Secret stringData folds into data).</summary>
    public static void Normalize(ResourceKind kind, JsonObject obj)
    {
        if (kind is not { Group: "", Plural: "secrets" } || obj["stringData"] is not JsonObject stringData)
            return;
        var data = obj["data"] as JsonObject ?? [];
        foreach (var (key, value) in stringData)
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
        obj.Remove("stringData");
        obj["data"] = data;
    }

    public static void Validate(ResourceKind kind, JsonObject obj, JsonObject? old)
    {
        var errors = new FieldErrors();
        ObjectMetaValidator.Validate(kind, obj, errors);
        switch (kind.Group, kind.Plural)
        {
            case ("", "pods"):
                if (old is null)
                    PodSpecValidator.Validate(obj["spec"] as JsonObject, "spec", isTemplate: false, errors);
                else
                    PodSpecValidator.ValidateUpdate(obj["spec"] as JsonObject, old["spec"] as JsonObject, errors);
                break;
            case ("batch", "jobs"):
                JobValidator.Validate(obj, old, errors);
                break;
            case ("", "persistentvolumeclaims"):
                ClaimValidator.Validate(obj, old, errors);
                break;
            case ("", "secrets"):
                ValidateData(obj, old, "data", errors);
                ValidateSecretType(obj, old, errors);
                break;
            case ("", "configmaps"):
                ValidateData(obj, old, "data", errors);
                ValidateData(obj, old, "binaryData", errors);
                foreach (var (key, _) in obj["data"] as JsonObject ?? [])
                {
                    if ((obj["binaryData"] as JsonObject)?.ContainsKey(key) == true)
                        errors.Invalid("data", key, "duplicate of key present in binaryData");
                }
                break;
            case ("events.k8s.io", "events"):
                if (old is null)
                    ValidateEvent(obj, errors);
                break;
            case ("", "events"):
                if (old is null)
                    ValidateCoreEvent(obj, errors);
                break;
            case ("coordination.k8s.io", "leases"):
                ValidateLease(obj, errors);
                break;
        }
        if (errors.Any)
            throw ApiException.Invalid(kind, ObjectMeta.Name(obj), errors.Causes);
    }

    private static void ValidateData(JsonObject obj, JsonObject? old, string field, FieldErrors errors)
    {
        var data = obj[field] as JsonObject ?? [];
        var total = 0L;
        foreach (var (key, value) in data)
        {
            errors.Check($"{field}[{key}]", key, NameRules.ConfigKey(key));
            total += ((string?)value ?? "").Length;
        }
        if (total > DataMaxBytes)
            errors.TooLong(field, DataMaxBytes);
        if (old?["immutable"] is JsonValue immutable && immutable.TryGetValue<bool>(out var locked) && locked)
        {
            if (!JsonNode.DeepEquals(obj[field], old[field]))
                errors.Forbidden(field, "field is immutable when `immutable` is set");
            if (!JsonNode.DeepEquals(obj["immutable"], old["immutable"]))
                errors.Forbidden("immutable", "field is immutable when `immutable` is set");
        }
    }

    private static void ValidateSecretType(JsonObject obj, JsonObject? old, FieldErrors errors)
    {
        var type = (string?)obj["type"] ?? "Opaque";
        if (old is not null && type != ((string?)old["type"] ?? "Opaque"))
            errors.Immutable("type", JsonValue.Create(type));
        var data = obj["data"] as JsonObject ?? [];
        string[] required = type switch
        {
            "kubernetes.io/ssh-auth" => ["ssh-privatekey"],
            "kubernetes.io/tls" => ["tls.crt", "tls.key"],
            "kubernetes.io/dockerconfigjson" => [".dockerconfigjson"],
            "kubernetes.io/basic-auth" => [],
            _ => [],
        };
        foreach (var key in required.Where(k => !data.ContainsKey(k)))
            errors.Required($"data[{key}]");
        foreach (var (key, value) in data)
        {
            Span<byte> buffer = new byte[((string?)value ?? "").Length];
            if (!Convert.TryFromBase64String((string?)value ?? "", buffer, out _))
                throw ApiException.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data[{key}]");
        }
    }

    private static void ValidateEvent(JsonObject obj, FieldErrors errors)
    {
        if (obj["eventTime"] is null)
            errors.Required("eventTime");
        foreach (var (field, max) in new[] { ("reportingController", 253), ("reportingInstance", 128), ("action", 128), ("reason", 128) })
        {
            var value = (string?)obj[field] ?? "";
            if (value.Length == 0)
                errors.Required(field);
            else if (value.Length > max)
                errors.Invalid(field, value, $"can have at most {max} characters");
        }
        if ((string?)obj["reportingController"] is { Length: > 0 } controller)
            errors.Check("reportingController", controller, NameRules.QualifiedName(controller));
        var type = (string?)obj["type"] ?? "";
        if (type is not ("Normal" or "Warning"))
            errors.NotSupported("type", type, "Normal", "Warning");
        if (Encoding.UTF8.GetByteCount((string?)obj["note"] ?? "") > 1024)
            errors.TooLong("note", 1024);
        CheckInvolvedNamespace(obj, obj["regarding"] as JsonObject, "regarding.namespace", errors);
    }

    private static void ValidateCoreEvent(JsonObject obj, FieldErrors errors)
    {
        if (obj["eventTime"] is not null)
        {
            // A core/v1 Event written in the new style is held to the events.k8s.io rules.
            ValidateEvent(new JsonObject
            {
                ["eventTime"] = obj["eventTime"]?.DeepClone(),
                ["reportingController"] = obj["reportingComponent"]?.DeepClone(),
                ["reportingInstance"] = obj["reportingInstance"]?.DeepClone(),
                ["action"] = obj["action"]?.DeepClone(),
                ["reason"] = obj["reason"]?.DeepClone(),
                ["type"] = obj["type"]?.DeepClone(),
                ["note"] = obj["message"]?.DeepClone(),
                ["metadata"] = obj["metadata"]?.DeepClone(),
                ["regarding"] = obj["involvedObject"]?.DeepClone(),
            }, errors);
            return;
        }
        CheckInvolvedNamespace(obj, obj["involvedObject"] as JsonObject, "involvedObject.namespace", errors);
    }

    // The involved object's namespace must be the event's, except that an event about a cluster object lives in "default".
    private static void CheckInvolvedNamespace(JsonObject obj, JsonObject? involved, string field, FieldErrors errors)
    {
        var ns = ObjectMeta.Namespace(obj) ?? "";
        var involvedNs = (string?)involved?["namespace"] ?? "";
        if (involvedNs.Length == 0 ? ns is not ("default" or "") : involvedNs != ns)
            errors.Invalid(field, involvedNs, "does not match event.namespace");
    }

    private static void ValidateLease(JsonObject obj, FieldErrors errors)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec?["leaseDurationSeconds"] is JsonValue duration && duration.TryGetValue<long>(out var seconds) && seconds <= 0)
            errors.Invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
        if (spec?["leaseTransitions"] is JsonValue transitions && transitions.TryGetValue<long>(out var count) && count < 0)
            errors.Invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0");
    }
}
