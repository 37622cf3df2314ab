using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>ValidateObjectMeta for every kind: name format per kind, label and annotation keys/values, owner references, finalizer names.</summary>
internal static class ObjectMetaValidator
{
    private const int AnnotationsMaxBytes = 256 * 1024;

    public static void Validate(ResourceKind kind, JsonObject obj, FieldErrors errors)
    {
        var meta = obj["metadata"] as JsonObject ?? [];
        var name = ObjectMeta.Name(obj);
        // Namespaces are RFC 1123 labels; everything else the operator writes (and every custom resource) a subdomain.
        errors.Check("metadata.name", name, kind.IsNamespace ? NameRules.Label(name) : NameRules.Subdomain(name));
        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                errors.Check("metadata.labels", key, NameRules.QualifiedName(key));
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (text is null)
                    errors.Invalid("metadata.labels", value, "label values must be strings");
                else
                    errors.Check("metadata.labels", text, NameRules.LabelValue(text));
            }
        }
        if (meta["annotations"] is JsonObject annotations)
        {
            var total = 0;
            foreach (var (key, value) in annotations)
            {
                errors.Check("metadata.annotations", key, NameRules.QualifiedName(key.ToLowerInvariant()));
                total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount((string?)value ?? "");
            }
            if (total > AnnotationsMaxBytes)
                errors.TooLong("metadata.annotations", AnnotationsMaxBytes);
        }
        foreach (var finalizer in ObjectMeta.Finalizers(obj))
            errors.Check("metadata.finalizers", finalizer, NameRules.QualifiedName(finalizer));
        ValidateOwnerReferences(meta["ownerReferences"] as JsonArray ?? [], errors);
    }

    private static void ValidateOwnerReferences(JsonArray references, FieldErrors errors)
    {
        var controllers = 0;
        foreach (var reference in references.OfType<JsonObject>())
        {
            var apiVersion = (string?)reference["apiVersion"] ?? "";
            if (apiVersion.Length == 0 || apiVersion.Split('/')[^1].Length == 0)
                errors.Invalid("metadata.ownerReferences.apiVersion", apiVersion, "version must not be empty");
            if (string.IsNullOrEmpty((string?)reference["kind"]))
                errors.Invalid("metadata.ownerReferences.kind", "", "kind must not be empty");
            if (string.IsNullOrEmpty((string?)reference["name"]))
                errors.Invalid("metadata.ownerReferences.name", "", "name must not be empty");
            if (string.IsNullOrEmpty((string?)reference["uid"]))
                errors.Invalid("metadata.ownerReferences.uid", "", "uid must not be empty");
            if (reference["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController)
                controllers++;
        }
        if (controllers > 1)
            errors.Invalid("metadata.ownerReferences", references, "Only one reference can have Controller set to true");
    }
}
