using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// The <c>fieldSelector</c> subset every kind supports (metadata.name and metadata.namespace), plus the labels core/v1
/// Events add (involvedObject.*, reason, type, source, reportingComponent), with =, == and !=.
/// </summary>
internal sealed class FieldSelector
{
    private static readonly string[] CommonFields = ["metadata.name", "metadata.namespace"];

    // k8s.io/kubernetes pkg/apis/core/v1 conversion: the field labels an Event list or watch accepts.
    private static readonly string[] EventFields =
    [
        .. CommonFields, "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
    ];

    private readonly List<(string Field, string Value, bool Negated)> _terms = [];

    public static FieldSelector Parse(string? text, ResourceKind? kind = null)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
            return selector;
        var known = kind is { Group: "", Plural: "events" } ? EventFields : CommonFields;
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = raw.Contains("!=", StringComparison.Ordinal);
            var parts = raw.Split(negated ? "!=" : raw.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2 || !known.Contains(parts[0].Trim(), StringComparer.Ordinal))
                throw ApiException.BadRequest($"\"{raw}\" is not a known field selector: only {string.Join(", ", known.Select(f => $"\"{f}\""))}");
            selector._terms.Add((parts[0].Trim(), parts[1].Trim(), negated));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, negated) in _terms)
        {
            var actual = Value(obj, field);
            if ((actual == value) == negated)
                return false;
        }
        return true;
    }

    private static string Value(JsonObject obj, string field)
    {
        if (field == "source")
            return (string?)obj["source"]?["component"] ?? (string?)obj["reportingComponent"] ?? "";
        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
            node = node?[part];
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
    }
}
