using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Watching;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>Watches <typeparamref name="TOwned"/> (Jobs, PVCs, ...) and enqueues the controlling owner of each changed object.</summary>
public sealed class OwnedResourceWatch<TOwned>(
    IKubernetesClient client,
    ResourceType owner,
    EntityWatcherOptions options,
    ILogger logger,
    TimeProvider? timeProvider = null,
    OperatorMetrics? metrics = null) : IOwnedResourceWatch
    where TOwned : class, IKubernetesObject<TOwned>
{
    private EntityWatcher<TOwned>? _watcher;

    public bool IsSynced => _watcher?.IsSynced == true;

    public Task RunAsync(Action<EntityKey> enqueueOwner, CancellationToken cancellationToken)
    {
        _watcher = new EntityWatcher<TOwned>(
            client,
            options,
            (_, obj) =>
            {
                if (OwnerReferences.ControllerOwner(obj, owner) is { } key)
                {
                    enqueueOwner(key);
                }
            },
            logger,
            timeProvider,
            metrics);
        return _watcher.RunAsync(cancellationToken);
    }
}
