using k8s;
using k8s.Models;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Watching;

/// <summary>
/// A <see cref="SharedInformer{T}"/> with one callback: list, then watch from the list's resourceVersion, relist on 410
/// Gone and report what changed meanwhile as synthetic events, reconnect with jittered backoff. The informer's cache
/// (with its namespace and owner indexes) is <see cref="Cache"/>.
/// </summary>
public sealed class EntityWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly SharedInformer<T> _informer;

    public EntityWatcher(
        IKubernetesClient client,
        EntityWatcherOptions options,
        Action<EntityEventType, T> onEvent,
        ILogger logger,
        TimeProvider? timeProvider = null,
        OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        _informer = new SharedInformer<T>(client, options, logger, timeProvider, metrics);
        _informer.AddEventHandler(e => onEvent(e.Type, e.Object));
    }

    /// <summary>True once the first full list has been delivered.</summary>
    public bool IsSynced => _informer.HasSynced;

    /// <summary>Completes once the first full list has been delivered.</summary>
    public Task Synced => _informer.Synced;

    /// <summary>The resourceVersion the next watch starts from (null: relist).</summary>
    public string? ResourceVersion => _informer.LastSyncResourceVersion;

    /// <summary>The objects listed and watched so far, indexed by namespace and controlling owner.</summary>
    public IInformerCache<T> Cache => _informer;

    public Task RunAsync(CancellationToken cancellationToken) => _informer.RunAsync(cancellationToken);
}
