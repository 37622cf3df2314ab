using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>The <c>fieldSelector</c> subset every kind supports: metadata.name and metadata.namespace (=, ==, !=).</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Negated)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
            return selector;
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = raw.Contains("!=", StringComparison.Ordinal);
            var parts = raw.Split(negated ? "!=" : raw.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2 || parts[0].Trim() is not ("metadata.name" or "metadata.namespace"))
                throw ApiException.BadRequest($"\"{raw}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            selector._terms.Add((parts[0].Trim(), parts[1].Trim(), negated));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, negated) in _terms)
        {
            var actual = (string?)obj["metadata"]?[field["metadata.".Length..]] ?? "";
            if ((actual == value) == negated)
                return false;
        }
        return true;
    }
}
