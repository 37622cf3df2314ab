using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>CustomResourceDefinition admission: name check and the status a real server reports once names are accepted.</summary>
internal sealed partial class ObjectStore
{
    private void AcceptDefinition(ResourceKind kind, JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = (string?)spec?["group"];
        var plural = (string?)spec?["names"]?["plural"];
        if (string.IsNullOrEmpty(group) || string.IsNullOrEmpty(plural) || ObjectMeta.Name(crd) != $"{plural}.{group}")
        {
            throw ApiException.Invalid(kind, ObjectMeta.Name(crd),
                [new FieldCause("FieldValueInvalid", "Invalid value: must be spec.names.plural+\".\"+spec.group", "metadata.name")]);
        }
        // Like the real server, a rule that does not compile rejects the whole definition; here that includes every
        // rule outside the CEL subset the fake evaluates, so no rule is ever skipped.
        var uncompilable = (spec!["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["schema"]?["openAPIV3Schema"] is JsonObject)
            .SelectMany(v => SchemaWalker.UncompilableRules((JsonObject)v["schema"]!["openAPIV3Schema"]!, $"spec.validation.openAPIV3Schema"))
            .Select(f => new FieldCause("FieldValueInvalid", $"Invalid value: \"object\": {f.Message}", f.Path + ".x-kubernetes-validations[0].rule"))
            .ToList();
        if (uncompilable.Count > 0)
            throw ApiException.Invalid(kind, ObjectMeta.Name(crd), uncompilable);
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = spec!["names"]!.DeepClone(),
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts" },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted" }),
            ["storedVersions"] = new JsonArray((spec["versions"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(v => (bool?)v["storage"] == true).Select(v => (JsonNode?)JsonValue.Create((string?)v["name"])).ToArray()),
        };
    }
}
