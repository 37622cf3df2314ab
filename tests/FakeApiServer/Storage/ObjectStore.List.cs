using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Lists with selectors and limit/continue pagination (tokens carry the resourceVersion they were issued at).</summary>
internal sealed partial class ObjectStore
{
    public JsonObject List(ResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        lock (_gate)
        {
            var start = "";
            if (!string.IsNullOrEmpty(continueToken))
            {
                var (tokenVersion, after) = DecodeContinue(continueToken);
                if (tokenVersion < _compactedThrough)
                    throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                start = after;
            }
            var matching = Matching(kind, ns)
                .Where(o => labels.Matches(o) && fields.Matches(o))
                .Where(o => string.CompareOrdinal(SortKey(o), start) > 0)
                .ToList();
            var page = limit > 0 ? matching.Take(limit).ToList() : matching;
            var items = new JsonArray();
            foreach (var item in page)
                items.Add(item.DeepClone());
            var metadata = new JsonObject { ["resourceVersion"] = RvString(_resourceVersion) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = EncodeContinue(_resourceVersion, SortKey(page[^1]));
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }
            return new JsonObject
            {
                ["kind"] = kind.Kind + "List",
                ["apiVersion"] = kind.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = items,
            };
        }
    }

    private static string EncodeContinue(long version, string after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{version}|{after}"));

    private static (long Version, string After) DecodeContinue(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw ApiException.BadRequest("continue key is not valid: " + e.Message);
        }
    }
}
