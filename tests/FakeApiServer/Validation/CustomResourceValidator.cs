using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Admission for custom resources: prune unknown fields, apply defaults, then validate against the CRD schema.</summary>
internal sealed class CustomResourceValidator
{
    public JsonObject Admit(ResourceKind kind, JsonObject obj, JsonObject? old)
    {
        if (kind.Schema is not { } schema)
            return obj;
        SchemaPruner.Prune(obj, schema, isRoot: true);
        SchemaDefaulter.Apply(obj, schema);
        var causes = new List<FieldCause>();
        var walker = new SchemaWalker(causes);
        foreach (var (key, value) in obj.ToList())
        {
            // apiVersion, kind and metadata are validated by the server itself, not by the CRD schema.
            if (key is "apiVersion" or "kind" or "metadata")
                continue;
            if (schema["properties"]?[key] is JsonObject propertySchema)
                walker.Validate(value, old?[key], old is not null && old.ContainsKey(key), propertySchema, key);
        }
        walker.CheckRequired(obj, schema, "", skipServerFields: true);
        walker.CheckRules(obj, old, old is not null, schema, "");
        walker.RunRules();
        if (causes.Count > 0)
            throw ApiException.Invalid(kind, ObjectMeta.Name(obj), causes);
        return obj;
    }
}
