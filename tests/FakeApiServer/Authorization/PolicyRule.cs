using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>One rule of a Role or ClusterRole: apiGroups × resources (incl. subresources) × verbs, optionally by name.</summary>
internal sealed record PolicyRule(IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames)
{
    public static PolicyRule From(JsonObject rule) => new(Strings(rule["apiGroups"]), Strings(rule["resources"]), Strings(rule["verbs"]), Strings(rule["resourceNames"]));

    public bool Allows(string group, string resource, string verb, string? name) =>
        (ApiGroups.Contains("*") || ApiGroups.Contains(group))
        && (Resources.Contains("*") || Resources.Contains(resource) || (resource.Contains('/') && Resources.Contains("*/" + resource.Split('/')[1])))
        && (Verbs.Contains("*") || Verbs.Contains(verb))
        && (ResourceNames.Count == 0 || (name is not null && ResourceNames.Contains(name)));

    private static string[] Strings(JsonNode? node) => node is JsonArray list ? [.. list.Select(v => (string?)v ?? "")] : [];
}
