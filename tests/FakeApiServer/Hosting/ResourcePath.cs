namespace Imprint.Testing.FakeApiServer;

/// <summary>A parsed REST path: <c>/api/v1/...</c> or <c>/apis/{group}/{version}/...</c>.</summary>
internal sealed record ResourcePath(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    public static ResourcePath Parse(string path, ResourceRegistry registry)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
            (group, version, rest) = ("", segments[1], segments[2..]);
        else if (segments.Length >= 4 && segments[0] == "apis")
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        else
            throw ApiException.NoSuchResource();
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && registry.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var kind = registry.Find(group, version, rest[0]);
        if (kind is null || rest.Length > 3 || (kind.Namespaced && ns is null && rest.Length > 1))
            throw ApiException.NoSuchResource();
        return new ResourcePath(kind, ns, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }
}
