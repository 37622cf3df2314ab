namespace Imprint.Operator.Kubernetes;

/// <summary>Where a kind lives in the API: group (empty for core), version, kind, plural, and whether it is namespaced.</summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, e.g. <c>/api/v1/namespaces/ns/pods</c> or <c>/apis/batch/v1/jobs</c> (all namespaces).</summary>
    public string CollectionPath(string? ns)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(ns)
            ? $"{prefix}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}"
            : $"{prefix}/{Plural}";
    }

    public string ItemPath(string name, string? ns) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
}
