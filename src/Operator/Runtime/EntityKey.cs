using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime;

/// <summary>The identity of an object in the work queue: <c>namespace/name</c>, or just <c>name</c> when cluster-scoped.</summary>
public readonly record struct EntityKey(string? Namespace, string Name)
{
    public static EntityKey Of(IKubernetesObject<V1ObjectMeta> obj) =>
        new(obj.Metadata.NamespaceProperty, obj.Metadata.Name ?? throw new ArgumentException("Object has no metadata.name", nameof(obj)));

    public static EntityKey Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new EntityKey(null, key) : new EntityKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";
}
