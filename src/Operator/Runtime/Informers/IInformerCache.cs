using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>
/// A read-only view of the objects an informer has listed and watched (client-go's Lister/Indexer). Reads never call the
/// API server; they return the objects as last seen, which may trail the server by the watch latency. Callers must not
/// mutate the returned objects: they are shared with every other reader.
/// </summary>
public interface IInformerCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the first full list has been stored and delivered to the handlers.</summary>
    bool HasSynced { get; }

    /// <summary>Completes once <see cref="HasSynced"/> is true.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken = default);

    /// <summary>The resourceVersion of the last list or watch event applied.</summary>
    string? LastSyncResourceVersion { get; }

    int Count { get; }

    T? Get(string? ns, string name);

    /// <summary>All cached objects, or those of one namespace.</summary>
    IReadOnlyList<T> List(string? ns = null);

    /// <summary>Objects whose controlling ownerReference (<c>controller: true</c>) has this uid.</summary>
    IReadOnlyList<T> ListByOwner(string ownerUid);
}
