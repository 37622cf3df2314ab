using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>The <c>labelSelector</c> query syntax: =, ==, !=, in, notin, key, !key.</summary>
internal sealed partial class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
            return selector;
        foreach (var term in SplitTerms(text))
            selector._requirements.Add(ParseTerm(term.Trim()));
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
                labels[key] = value?.ToString() ?? "";
        }
        return _requirements.TrueForAll(r => r(labels));
    }

    // Commas inside "in (a,b)" do not separate terms.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
                depth++;
            else if (text[i] == ')')
                depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term)
    {
        var set = SetTerm().Match(term);
        if (set.Success)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return set.Groups["op"].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }
        var equality = EqualityTerm().Match(term);
        if (equality.Success)
        {
            var key = equality.Groups["key"].Value.Trim();
            var value = equality.Groups["value"].Value.Trim();
            return equality.Groups["op"].Value == "!="
                ? labels => !labels.TryGetValue(key, out var v) || v != value
                : labels => labels.TryGetValue(key, out var v) && v == value;
        }
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }
        if (KeyTerm().IsMatch(term))
            return labels => labels.ContainsKey(term);
        throw ApiException.BadRequest($"unable to parse requirement: invalid label selector term \"{term}\"");
    }

    [GeneratedRegex(@"^(?<key>[\w./-]+)\s+(?<op>in|notin)\s*\((?<values>[^)]*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^(?<key>[\w./-]+)\s*(?<op>==|!=|=)\s*(?<value>[\w./-]*)$")]
    private static partial Regex EqualityTerm();

    [GeneratedRegex(@"^[\w./-]+$")]
    private static partial Regex KeyTerm();
}
