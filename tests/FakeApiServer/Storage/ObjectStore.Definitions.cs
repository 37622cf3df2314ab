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
