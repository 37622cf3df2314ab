using Imprint.Operator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Enqueues the objects a change of another kind concerns, as a map function finds them in the shared caches
/// (controller-runtime's EnqueueRequestsFromMapFunc): e.g. the claims that name a template when the template appears.
/// The map must read caches only — it runs on the informer's dispatch thread for every event.
/// </summary>
public sealed class MappedEventSource<TSource>(SharedInformer<TSource> informer, Func<InformerEvent<TSource>, IEnumerable<EntityKey>> map, Func<bool>? mapSynced = null) : IOwnerEventSource
    where TSource : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the source informer and whatever cache the map reads (<c>mapSynced</c>) have listed once.</summary>
    public bool IsSynced => informer.HasSynced && (mapSynced?.Invoke() ?? true);

    public void Attach(Action<EntityKey> enqueueOwner)
    {
        ArgumentNullException.ThrowIfNull(enqueueOwner);
        informer.AddEventHandler(e =>
        {
            foreach (var key in map(e))
            {
                enqueueOwner(key);
            }
        });
    }
}
