using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Operator.Tests.Manifests.Support;

/// <summary>
/// A conservative stand-in for the API server's static cost estimate of CRD validation rules
/// (apiextensions-apiserver, schema/cel: every rule's worst-case cost must stay under StaticEstimatedCostLimit,
/// 10,000,000, and all rules of a CRD under StaticEstimatedCRDCostLimit, 100,000,000, or the CRD is refused).
/// <para>
/// Like upstream: a rule's cost is its cost per evaluation times its cardinality, the product of the maxItems and
/// maxProperties of every list and map above it; a list or map without a bound counts as many elements as a 3 MiB
/// request can hold, and a string without maxLength as 3 MiB long. Per evaluation, from cel-go's estimator:
/// <c>s.matches(re)</c> costs ceil(0.1·(len(s)+1))·ceil(0.25·len(re)), <c>s.contains(t)</c> ceil(0.1·len(s))·ceil(0.1·len(t)).
/// </para>
/// <para>
/// Approximations, each on the high side: the rule is not parsed into an AST — every character outside string
/// literals counts 1 (every CEL operation costs at least 1 and takes at least one character); a regex literal counts
/// with its CEL escapes; a comparison with a short literal costs 1 more, any other equality, <c>in</c>,
/// <c>startsWith</c> and <c>endsWith</c> a traversal of the whole value the rule sits on, not just of the field
/// compared; an int-or-string value counts as an unbounded string. A function this class does not know fails the check rather than being guessed.
/// </para>
/// </summary>
public static partial class CelCostEstimate
{
    public const long PerRuleLimit = 10_000_000;

    public const long PerCrdLimit = 100_000_000;

    /// <summary>The API server's request size limit, which bounds whatever the schema leaves unbounded.</summary>
    public const long MaxRequestBytes = 3 * 1024 * 1024;

    private static readonly HashSet<string> KnownFunctions = new(StringComparer.Ordinal)
    {
        "matches", "contains", "startsWith", "endsWith", "size", "has", "filter", "type", "int", "string", "all", "exists", "exists_one", "map",
    };

    /// <summary>One rule, where it sits, and what the estimate found.</summary>
    public sealed record RuleCost(string Path, string Rule, long PerCall, long Cardinality, long Cost, IReadOnlyList<string> Problems);

    /// <summary>Every rule of a CRD version's openAPIV3Schema with its estimate.</summary>
    public static IReadOnlyList<RuleCost> Estimate(JsonObject schema)
    {
        var found = new List<RuleCost>();
        Walk(schema, "", 1, [], found);
        return found;
    }

    private static void Walk(JsonObject node, string path, long cardinality, List<string> unboundedAbove, List<RuleCost> found)
    {
        foreach (var validation in (node["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var rule = (string)validation["rule"]!;
            var problems = new List<string>(unboundedAbove.Select(u => $"{u} has no bound, so the rule may run once per element a 3 MiB request holds"));
            var perCall = PerCall(rule, node, problems);
            found.Add(new RuleCost(path, rule, perCall, cardinality, Saturating(perCall, cardinality), problems));
        }

        foreach (var (name, child) in node["properties"] as JsonObject ?? [])
        {
            Walk((JsonObject)child!, $"{path}.{name}", cardinality, unboundedAbove, found);
        }

        if (node["items"] is JsonObject items)
        {
            var bound = Long(node["maxItems"]);
            Walk(items, $"{path}[*]", Saturating(cardinality, bound ?? UnboundedElements(items, pairOverhead: 1)),
                bound is null ? [.. unboundedAbove, $"list {path}"] : unboundedAbove, found);
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            var bound = Long(node["maxProperties"]);
            Walk(values, $"{path}{{*}}", Saturating(cardinality, bound ?? UnboundedElements(values, pairOverhead: 4)),
                bound is null ? [.. unboundedAbove, $"map {path}"] : unboundedAbove, found);
        }
    }

    private static long PerCall(string rule, JsonObject self, List<string> problems)
    {
        var code = LiteralPattern().Replace(rule, "''");
        long cost = code.Count(c => !char.IsWhiteSpace(c));
        foreach (var call in CallPattern().Matches(code).Cast<Match>().Select(m => m.Groups["name"].Value))
        {
            if (!KnownFunctions.Contains(call))
            {
                problems.Add($"the estimate does not know the function {call}(); teach {nameof(CelCostEstimate)} its cost");
            }
        }

        var stringLength = StringLength(self, problems, needsBound: SelfStringCall().IsMatch(rule));
        foreach (Match call in SelfStringCall().Matches(rule))
        {
            var argument = call.Groups["arg"].Value.Length - 2;
            cost += call.Groups["fn"].Value switch
            {
                "matches" => Ceil(0.1 * (stringLength + 1)) * Ceil(0.25 * argument),
                "contains" => Ceil(0.1 * stringLength) * Ceil(0.1 * argument),
                _ => Ceil(0.1 * stringLength),
            };
        }

        // A comparison with a literal stops within the literal's length; any other (self == oldSelf, a field against a
        // field, x in list) is charged a traversal of the whole value the rule sits on.
        var traversal = Ceil(0.1 * Math.Min(MaxSize(self), MaxRequestBytes));
        var literalComparisons = LiteralComparison().Matches(rule).Count;
        cost += literalComparisons + Saturating(traversal, EqualityPattern().Matches(code).Count - literalComparisons + InPattern().Matches(code).Count);
        return cost;
    }

    /// <summary>The longest string the rule's own value can be: maxLength, else the request limit (an int-or-string never has a usable bound).</summary>
    private static long StringLength(JsonObject node, List<string> problems, bool needsBound)
    {
        if ((string?)node["type"] == "string")
        {
            if (Long(node["maxLength"]) is { } max)
            {
                return max;
            }

            if (needsBound)
            {
                problems.Add("a string the rule searches or regex-matches has no maxLength");
            }
        }

        return MaxRequestBytes;
    }

    /// <summary>The largest serialized size a value can take, capped at the request limit.</summary>
    private static long MaxSize(JsonObject node)
    {
        long size = (string?)node["type"] switch
        {
            "string" => Long(node["maxLength"]) is { } max ? max + 2 : MaxRequestBytes,
            "integer" or "number" => 32,
            "boolean" => 5,
            "array" => node["items"] is JsonObject items && Long(node["maxItems"]) is { } count ? Saturating(count, MaxSize(items) + 1) + 2 : MaxRequestBytes,
            "object" when node["additionalProperties"] is JsonObject => MaxRequestBytes,
            "object" => (node["properties"] as JsonObject ?? []).Aggregate(2L, (sum, p) => Saturating2(sum, p.Key.Length + 4 + MaxSize((JsonObject)p.Value!))),
            _ => MaxRequestBytes,
        };
        return Math.Min(size, MaxRequestBytes);
    }

    /// <summary>Upstream's count for a list or map without a bound: as many of the smallest element as fit in a request.</summary>
    private static long UnboundedElements(JsonObject element, int pairOverhead)
    {
        var minSize = (string?)element["type"] switch
        {
            "integer" or "number" => 1,
            "boolean" => 4,
            _ => 2, // "", {} or []
        };
        return (MaxRequestBytes - 2) / (minSize + pairOverhead);
    }

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? l
        : node is JsonValue s && s.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static long Ceil(double value) => (long)Math.Ceiling(value);

    private static long Saturating(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    private static long Saturating2(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    // A single-quoted CEL string with backslash escapes (double-quoted ones too).
    [GeneratedRegex(@"'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*""")]
    private static partial Regex LiteralPattern();

    [GeneratedRegex(@"(?<![\w.])(?<name>[A-Za-z_]\w*)\s*\(|\.(?<name>[A-Za-z_]\w*)\s*\(")]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"\bself\.(?<fn>matches|contains|startsWith|endsWith)\((?<arg>'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*"")\)")]
    private static partial Regex SelfStringCall();

    [GeneratedRegex(@"==|!=")]
    private static partial Regex EqualityPattern();

    // == or != with a number, a bool or a short string literal on either side.
    [GeneratedRegex(@"(?:==|!=)\s*(?:-?\d+|true|false|'[^'\\]{0,64}'|""[^""\\]{0,64}"")(?![\w.(])|(?<![\w.)])(?:-?\d+|true|false|'[^'\\]{0,64}'|""[^""\\]{0,64}"")\s*(?:==|!=)")]
    private static partial Regex LiteralComparison();

    [GeneratedRegex(@"\bin\b")]
    private static partial Regex InPattern();
}
