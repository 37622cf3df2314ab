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

    /// <summary>
    /// <c>resourceVersion</c>/<c>resourceVersionMatch</c> on a list: the fake serves only the current state, so
    /// NotOlderThan (or no match) is always satisfiable up to now, and Exact only at the current version; an older
    /// exact version is answered 410 as a compacted etcd would, a future one 504 as the real server does after waiting.
    /// </summary>
    public void CheckListResourceVersion(string? resourceVersion, string? match)
    {
        if (string.IsNullOrEmpty(match))
            return;
        if (string.IsNullOrEmpty(resourceVersion))
            throw ApiException.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        if (match is not ("NotOlderThan" or "Exact"))
            throw ApiException.BadRequest($"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"");
        if (match == "Exact" && resourceVersion == "0")
            throw ApiException.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
        if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var requested))
            throw ApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
        lock (_gate)
        {
            if (requested > _resourceVersion)
                throw new ApiException(504, "Timeout", $"Too large resource version: {requested}, current: {_resourceVersion}");
            if (match == "Exact" && requested != _resourceVersion)
                throw ApiException.Expired($"too old resource version: {requested} ({_resourceVersion})");
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
