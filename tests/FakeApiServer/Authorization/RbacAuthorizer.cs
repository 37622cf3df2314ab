using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// RBAC for requests that present a registered bearer token: the user's ClusterRole rules apply everywhere, a Role's
/// only in its namespace; anything else is 403 with the real server's message. Requests without a token act as the
/// cluster admin (the test harness), and an unknown token is 401.
/// </summary>
internal sealed class RbacAuthorizer
{
    private readonly ConcurrentDictionary<string, Subject> _subjects = new(StringComparer.Ordinal);

    public void Register(string token, string user, IEnumerable<JsonObject> roles)
    {
        var cluster = new List<PolicyRule>();
        var namespaced = new List<(string Namespace, PolicyRule Rule)>();
        foreach (var role in roles)
        {
            var rules = (role["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.From).ToList();
            switch ((string?)role["kind"])
            {
                case "ClusterRole":
                    cluster.AddRange(rules);
                    break;
                case "Role":
                    var ns = (string?)role["metadata"]?["namespace"] ?? throw new ArgumentException("a Role needs metadata.namespace", nameof(roles));
                    namespaced.AddRange(rules.Select(r => (ns, r)));
                    break;
                default:
                    throw new ArgumentException($"not a Role or ClusterRole: {role["kind"]}", nameof(roles));
            }
        }
        _subjects[token] = new Subject(user, cluster, namespaced);
    }

    /// <summary>Throws 401/403 unless the request's identity may do <paramref name="verb"/> on <paramref name="path"/>.</summary>
    public void Authorize(HttpRequest request, ResourcePath path, string verb)
    {
        if (SubjectOf(request) is not { } subject)
            return;
        var resource = path.Subresource is null ? path.Kind.Plural : $"{path.Kind.Plural}/{path.Subresource}";
        var group = path.Kind.Group;
        var allowed = subject.Cluster.Exists(r => r.Allows(group, resource, verb, path.Name))
            || (path.Namespace is not null && subject.Namespaced.Exists(r => r.Namespace == path.Namespace && r.Rule.Allows(group, resource, verb, path.Name)));
        if (allowed)
            return;
        var target = path.Name is null ? path.Kind.QualifiedResource : $"{path.Kind.QualifiedResource} \"{path.Name}\"";
        var scope = path.Namespace is null ? "at the cluster scope" : $"in the namespace \"{path.Namespace}\"";
        var details = new JsonObject { ["group"] = group, ["kind"] = resource.Split('/')[0] };
        if (path.Name is not null)
            details["name"] = path.Name;
        throw new ApiException(403, "Forbidden",
            $"{target} is forbidden: User \"{subject.User}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" {scope}", details);
    }

    /// <summary>
    /// The OwnerReferencesPermissionEnforcement admission plugin: setting blockOwnerDeletion on a reference needs
    /// <c>update</c> on the owner's <c>finalizers</c> subresource.
    /// </summary>
    public void AuthorizeOwnerReferences(HttpRequest request, ResourcePath path, JsonObject obj, JsonObject? old, ResourceRegistry registry)
    {
        if (SubjectOf(request) is not { } subject)
            return;
        var before = (old?["metadata"]?["ownerReferences"] as JsonArray ?? []).Select(r => r?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        foreach (var reference in (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (reference["blockOwnerDeletion"] is not JsonValue block || !block.TryGetValue<bool>(out var blocks) || !blocks || before.Contains(reference.ToJsonString()))
                continue;
            var ownerKind = registry.FindByKind((string?)reference["apiVersion"] ?? "", (string?)reference["kind"] ?? "");
            if (ownerKind is null)
                continue;
            var resource = ownerKind.Plural + "/finalizers";
            var ns = ownerKind.Namespaced ? path.Namespace : null;
            var name = (string?)reference["name"];
            var allowed = subject.Cluster.Exists(r => r.Allows(ownerKind.Group, resource, "update", name))
                || (ns is not null && subject.Namespaced.Exists(r => r.Namespace == ns && r.Rule.Allows(ownerKind.Group, resource, "update", name)));
            if (!allowed)
            {
                var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
                throw new ApiException(403, "Forbidden",
                    $"{path.Kind.QualifiedResource} \"{ObjectMeta.Name(obj)}\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: User \"{subject.User}\" cannot update resource \"{resource}\" in API group \"{ownerKind.Group}\" {scope}",
                    new JsonObject { ["name"] = ObjectMeta.Name(obj), ["group"] = path.Kind.Group, ["kind"] = path.Kind.Plural });
            }
        }
    }

    /// <summary>The user a request authenticates as, or "" (the unrestricted harness, or a token that is not registered).</summary>
    public string UserOf(HttpRequest request)
    {
        var header = (string?)request.Headers.Authorization;
        var token = header?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? header[7..].Trim() : "";
        return _subjects.TryGetValue(token, out var subject) ? subject.User : "";
    }

    /// <summary>The RBAC verb of a request (get/list/watch/create/update/patch/delete/deletecollection).</summary>
    public static string VerbOf(HttpRequest request, ResourcePath path) => request.Method switch
    {
        "GET" when path.Name is null && request.Query["watch"] is ["true"] or ["1"] => "watch",
        "GET" when path.Name is null => "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" when path.Name is null => "deletecollection",
        "DELETE" => "delete",
        _ => request.Method.ToLowerInvariant(),
    };

    private Subject? SubjectOf(HttpRequest request)
    {
        var header = (string?)request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return null;
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : "";
        return _subjects.TryGetValue(token, out var subject) ? subject : throw new ApiException(401, "Unauthorized", "Unauthorized");
    }

    private sealed record Subject(string User, List<PolicyRule> Cluster, List<(string Namespace, PolicyRule Rule)> Namespaced);
}
