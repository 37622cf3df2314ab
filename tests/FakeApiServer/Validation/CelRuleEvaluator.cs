using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// The two CEL shapes our CRDs use: <c>self == oldSelf</c> (immutability) and <c>has(self.a) != has(self.b)</c>
/// (exactly one of). Anything else is reported as unsupported (null) so tests can see it was skipped.
/// </summary>
internal static partial class CelRuleEvaluator
{
    public static bool? Evaluate(string rule, JsonNode? self, JsonNode? oldSelf, bool hasOld)
    {
        var compact = Whitespace().Replace(rule, "");
        if (compact == "self==oldSelf")
            return !hasOld || JsonNode.DeepEquals(self, oldSelf); // Transition rules only run on update.
        var exclusive = ExactlyOneOf().Match(compact);
        if (exclusive.Success)
        {
            var obj = self as JsonObject;
            return Has(obj, exclusive.Groups["a"].Value) != Has(obj, exclusive.Groups["b"].Value);
        }
        return null;
    }

    private static bool Has(JsonObject? obj, string field) => obj is not null && obj.ContainsKey(field);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^has\(self\.(?<a>\w+)\)!=has\(self\.(?<b>\w+)\)$")]
    private static partial Regex ExactlyOneOf();
}
