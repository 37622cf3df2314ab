using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>Maps an owned object to the key of its controlling owner of a given kind.</summary>
public static class OwnerReferences
{
    /// <summary>The owner named by the <c>controller: true</c> ownerReference whose kind and group match, if any.</summary>
    public static EntityKey? ControllerOwner(IKubernetesObject<V1ObjectMeta> owned, ResourceType owner)
    {
        var reference = owned.Metadata.OwnerReferences?.FirstOrDefault(r =>
            r.Controller == true
            && r.Kind == owner.Kind
            && GroupOf(r.ApiVersion) == owner.Group);
        if (reference is null)
        {
            return null;
        }

        // Owners here are namespaced kinds, and a namespaced dependent can only name an owner of its own namespace.
        return new EntityKey(owned.Metadata.NamespaceProperty, reference.Name);
    }

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }
}
