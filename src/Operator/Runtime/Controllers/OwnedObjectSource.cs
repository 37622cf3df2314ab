using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Enqueues the controlling owner of each changed <typeparamref name="TOwned"/> (Jobs, PVCs, ...), and the former owner
/// when the controlling reference changed.
/// </summary>
public sealed class OwnedObjectSource<TOwned>(SharedInformer<TOwned> informer, ResourceType owner) : IOwnerEventSource
    where TOwned : class, IKubernetesObject<V1ObjectMeta>
{
    public bool IsSynced => informer.HasSynced;

    public void Attach(Action<EntityKey> enqueueOwner)
    {
        ArgumentNullException.ThrowIfNull(enqueueOwner);
        informer.AddEventHandler(e =>
        {
            var current = OwnerReferences.ControllerOwner(e.Object, owner);
            if (current is { } key)
            {
                enqueueOwner(key);
            }

            if (e.Previous is { } previous && OwnerReferences.ControllerOwner(previous, owner) is { } former && former != current)
            {
                enqueueOwner(former);
            }
        });
    }
}
