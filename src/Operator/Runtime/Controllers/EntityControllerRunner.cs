using System.Collections.Concurrent;
using System.Diagnostics;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Finalizers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Queue;
using Imprint.Operator.Runtime.Watching;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Runs one <see cref="IEntityController{TEntity}"/>: watch (plus owned watches) → filter → work queue → N workers that
/// read the object fresh, handle finalizers, reconcile, and requeue on request or with backoff on failure.
/// </summary>
public sealed class EntityControllerRunner<TEntity> : IControllerRunner
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetesClient _client;
    private readonly IServiceProvider _services;
    private readonly ControllerOptions _options;
    private readonly IReadOnlyList<IOwnedResourceWatch> _owned;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly OperatorMetrics _metrics;
    private readonly FinalizerRunner<TEntity> _finalizers;
    private readonly ConcurrentDictionary<string, TEntity> _lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deletionsHandled = new(StringComparer.Ordinal);

    // Keys that must be reconciled even at an already reconciled generation: an owned object changed, or the
    // controller asked for a requeue. Everything else at a reconciled generation is skipped by the worker.
    private readonly ConcurrentDictionary<string, byte> _forced = new(StringComparer.Ordinal);
    private SharedInformer<TEntity>? _informer;

    public EntityControllerRunner(
        IKubernetesClient client,
        IServiceProvider services,
        ControllerOptions options,
        IReadOnlyList<FinalizerRegistration> finalizers,
        IReadOnlyList<IOwnedResourceWatch> owned,
        ILoggerFactory loggerFactory,
        OperatorMetrics metrics,
        TimeProvider? timeProvider = null)
    {
        _client = client;
        _services = services;
        _options = options;
        _owned = owned;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
        Name = options.Name ?? ResourceType.Of<TEntity>().Kind.ToLowerInvariant();
        _logger = loggerFactory.CreateLogger($"Imprint.Operator.Controllers.{Name}");
        _finalizers = new FinalizerRunner<TEntity>(client, finalizers, options.FinalizerTimeout, _logger);
    }

    public string Name { get; }

    public bool IsSynced => _informer?.HasSynced == true && _owned.All(o => o.IsSynced);

    /// <summary>The informer (and cache) of the watched kind for the current run (null before the first run).</summary>
    public SharedInformer<TEntity>? Informer => _informer;

    public GenerationChangedFilter Filter { get; } = new();

    /// <summary>The queue of the current run (null before the first run).</summary>
    public WorkQueue? Queue { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var queue = new WorkQueue(Name, new ExponentialBackoff(_options.BackoffBase, _options.BackoffMax), _time, _metrics);
        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var workerStop = new CancellationTokenSource();
        Queue = queue;
        _lastSeen.Clear();
        _deletionsHandled.Clear();
        _forced.Clear();
        var informer = new SharedInformer<TEntity>(
            _client,
            _options.Watch with { Namespace = _options.Namespace, LabelSelector = _options.LabelSelector },
            _logger,
            _time,
            _metrics);
        informer.AddEventHandler(e => OnEvent(queue, e.Type, e.Object, e.Previous));
        _informer = informer;

        var watches = new List<Task> { informer.RunAsync(watchStop.Token) };
        watches.AddRange(_owned.Select(o => o.RunAsync(key => EnqueueForced(queue, key.ToString()), watchStop.Token)));
        var workers = Enumerable.Range(0, Math.Max(1, _options.Workers))
            .Select(_ => Task.Run(() => WorkAsync(queue, workerStop.Token), CancellationToken.None))
            .ToArray();
        _logger.LogInformation("Controller {Controller} started with {Workers} workers", Name, workers.Length);

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown (or lost leadership) starts here.
        }

        // Stop watching and stop handing out keys; in-flight reconciles get DrainTimeout before their token fires.
        queue.ShutDown();
        await watchStop.CancelAsync().ConfigureAwait(false);
        await AwaitQuietlyAsync(Task.WhenAll(watches)).ConfigureAwait(false);
        var drained = Task.WhenAll(workers);
        if (await Task.WhenAny(drained, Task.Delay(_options.DrainTimeout, _time, CancellationToken.None)).ConfigureAwait(false) != drained)
        {
            _logger.LogWarning("Controller {Controller}: reconciles still running after {Timeout}; cancelling them", Name, _options.DrainTimeout);
            await workerStop.CancelAsync().ConfigureAwait(false);
        }

        await AwaitQuietlyAsync(drained).ConfigureAwait(false);
        _logger.LogInformation("Controller {Controller} stopped", Name);
    }

    private void EnqueueForced(WorkQueue queue, string key)
    {
        _forced[key] = 0;
        queue.Add(key);
    }

    private void OnEvent(WorkQueue queue, EntityEventType type, TEntity obj, TEntity? previous)
    {
        var key = EntityKey.Of(obj).ToString();
        if (type == EntityEventType.Deleted && obj.Metadata.Uid is { } uid && _deletionsHandled.TryRemove(uid, out _))
        {
            // A worker already saw the 404 and called DeletedAsync with this object.
            _lastSeen.TryRemove(key, out _);
            Filter.Forget(uid);
            return;
        }

        _lastSeen[key] = obj;
        if (Filter.ShouldEnqueue(type, previous, obj))
        {
            queue.Add(key);
        }
    }

    private async Task WorkAsync(WorkQueue queue, CancellationToken cancellationToken)
    {
        while (await queue.TakeAsync(cancellationToken).ConfigureAwait(false) is { } key)
        {
            try
            {
                await ProcessAsync(queue, key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(WorkQueue queue, string key, CancellationToken cancellationToken)
    {
        using var activity = OperatorTracing.Source.StartActivity($"reconcile {Name}");
        activity?.SetTag("controller", Name);
        activity?.SetTag("key", key);
        var started = _time.GetTimestamp();
        var result = ReconcileResults.Error;
        try
        {
            result = await ReconcileKeyAsync(queue, key, activity, cancellationToken).ConfigureAwait(false);
            queue.Forget(key);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = ReconcileResults.Cancelled;
            _logger.LogWarning("Reconcile of {Key} cancelled by shutdown", key);
        }
        catch (KubernetesApiException ex) when (ex.IsConflict)
        {
            result = ReconcileResults.Conflict;
            var delay = queue.AddRateLimited(key, ex.RetryAfter);
            _logger.LogDebug("Reconcile of {Key} hit a conflict; retrying in {Delay}", key, delay);
        }
        catch (Exception ex)
        {
            var delay = queue.AddRateLimited(key, (ex as KubernetesApiException)?.RetryAfter);
            _logger.LogError(ex, "Reconcile of {Key} failed ({Failures} in a row); retrying in {Delay}", key, queue.Failures(key), delay);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
        }
        finally
        {
            activity?.SetTag("result", result);
            _metrics.ReconcileFinished(Name, result, _time.GetElapsedTime(started));
        }
    }

    private async Task<string> ReconcileKeyAsync(WorkQueue queue, string key, Activity? activity, CancellationToken cancellationToken)
    {
        var id = EntityKey.Parse(key);
        var forced = _forced.TryRemove(key, out _);
        var entity = await _client.GetAsync<TEntity>(id.Name, id.Namespace, cancellationToken).ConfigureAwait(false);
        await using var scope = _services.CreateAsyncScope();
        var controller = scope.ServiceProvider.GetRequiredService<IEntityController<TEntity>>();
        if (entity is null)
        {
            if (!_lastSeen.TryRemove(key, out var last))
            {
                return ReconcileResults.Skipped;
            }

            if (last.Metadata.Uid is { } uid)
            {
                _deletionsHandled[uid] = 0;
                Filter.Forget(uid);
            }

            await controller.DeletedAsync(last, cancellationToken).ConfigureAwait(false);
            return ReconcileResults.Deleted;
        }

        activity?.SetTag("generation", entity.Metadata.Generation);
        if (entity.Metadata.DeletionTimestamp is not null)
        {
            await _finalizers.RunPendingAsync(entity, scope.ServiceProvider).ConfigureAwait(false);
            return ReconcileResults.Finalized;
        }

        if (!forced && AlreadyReconciled(entity))
        {
            // Queued by an event that arrived while this generation was being reconciled (our own status or
            // finalizer write, or a spec change the worker already read): reconciling again would repeat the work.
            return ReconcileResults.Skipped;
        }

        entity = await _finalizers.EnsureAddedAsync(entity, cancellationToken).ConfigureAwait(false);
        var outcome = await controller.ReconcileAsync(entity, cancellationToken).ConfigureAwait(false);
        Filter.Reconciled(entity);
        if (outcome.RequeueAfter is { } after)
        {
            _forced[key] = 0;
            queue.AddAfter(key, after);
            return ReconcileResults.Requeue;
        }

        return ReconcileResults.Success;
    }

    private bool AlreadyReconciled(TEntity entity) =>
        entity.Metadata.Uid is { } uid
        && entity.Metadata.Generation is { } generation
        && Filter.LastReconciledGeneration(uid) == generation
        && _finalizers.AllPresent(entity);

    private async Task AwaitQuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || task.IsFaulted)
        {
            _logger.LogDebug(ex, "Controller {Controller}: background task ended with an error during shutdown", Name);
        }
    }
}
