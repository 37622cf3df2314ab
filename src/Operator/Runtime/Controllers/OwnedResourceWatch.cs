using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Watching;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Watches <typeparamref name="TOwned"/> (Jobs, PVCs, ...) and enqueues the controlling owner of each changed object
/// (and the former owner when the controlling reference changed). The watched objects are cached in <see cref="Cache"/>,
/// indexed by owner uid.
/// </summary>
public sealed class OwnedResourceWatch<TOwned>(
    IKubernetesClient client,
    ResourceType owner,
    EntityWatcherOptions options,
    ILogger logger,
    TimeProvider? timeProvider = null,
    OperatorMetrics? metrics = null) : IOwnedResourceWatch
    where TOwned : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly SharedInformer<TOwned> _informer = new(client, options, logger, timeProvider, metrics);

    public bool IsSynced => _informer.HasSynced;

    /// <summary>The owned objects seen so far; <see cref="IInformerCache{T}.ListByOwner"/> finds an owner's.</summary>
    public IInformerCache<TOwned> Cache => _informer;

    public Task RunAsync(Action<EntityKey> enqueueOwner, CancellationToken cancellationToken)
    {
        _informer.AddEventHandler(e =>
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
        return _informer.RunAsync(cancellationToken);
    }
}
