using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>
/// Reads through the shared informers (controller-runtime's cache reads): an object the informer of its kind holds is
/// returned from memory; a miss — an object outside the informer's label selection (a user's PVC), a kind nobody
/// watches, or one the watch has not delivered yet (just created) — is read from the API server. Returned objects are
/// shared with every other reader: never mutate them.
/// </summary>
public sealed class CachedReader(IKubernetesClient client, SharedInformerFactory? informers)
{
    public async Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (informers?.Find<T>() is { HasSynced: true } informer && informer.Get(ns, name) is { } cached)
        {
            return cached;
        }

        return await client.GetAsync<T>(name, ns, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached objects controlled by <paramref name="ownerUid"/>; null when no synced informer holds the kind.</summary>
    public IReadOnlyList<T>? CachedByOwner<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        informers?.Find<T>() is { HasSynced: true } informer ? informer.ListByOwner(ownerUid) : null;
}
