using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Imprint.Operator.Apis;
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
/// Runs one <see cref="IEntityController{TEntity}"/>: shared informer (plus owned-object sources) → filter → work queue →
/// N workers that read the object from the informer's cache, handle finalizers, reconcile, and requeue on request or
/// with backoff on failure. Handlers are added to the shared informers once, when the runner is made; while the
/// controller does not run (a standby replica) they only keep track of what was last seen. A new run (leadership
/// term) enqueues every cached object. After our own write of an object, reads go to the API server until the
/// informer has delivered that write (<see cref="OwnWriteExpectations"/>), so no pass acts on a state older than one
/// it produced itself.
/// </summary>
public sealed class EntityControllerRunner<TEntity> : IControllerRunner
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetesClient _client;
    private readonly IServiceProvider _services;
    private readonly ControllerOptions _options;
    private readonly IReadOnlyList<IOwnerEventSource> _owned;
    private readonly SharedInformerFactory _informers;
    private readonly SharedInformer<TEntity> _informer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly OperatorMetrics _metrics;
    private readonly FinalizerRunner<TEntity> _finalizers;
    private readonly ConcurrentDictionary<string, TEntity> _lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deletionsHandled = new(StringComparer.Ordinal);

    // Keys that must be reconciled even at an already reconciled generation: an owned object changed, or the
    // controller asked for a requeue. Everything else at a reconciled generation is skipped by the worker.
    private readonly ConcurrentDictionary<string, byte> _forced = new(StringComparer.Ordinal);
    private volatile WorkQueue? _queue;
    private long _reconciled;
    private int _inFlight;

    public EntityControllerRunner(
        IKubernetesClient client,
        IServiceProvider services,
        ControllerOptions options,
        IReadOnlyList<FinalizerRegistration> finalizers,
        SharedInformerFactory informers,
        IReadOnlyList<IOwnerEventSource> owned,
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
        _finalizers = new FinalizerRunner<TEntity>(client, finalizers, options.FinalizerTimeout, _logger, _time);
        _informers = informers;
        _informer = informers.For<TEntity>(options.LabelSelector);
        _informer.AddEventHandler(e => OnEvent(e.Type, e.Object, e.Previous));
        foreach (var source in owned)
        {
            source.Attach(key => EnqueueForced(key.ToString()));
        }
    }

    public string Name { get; }

    public bool IsSynced => _informer.HasSynced && _owned.All(o => o.IsSynced);

    /// <summary>The shared informer (and cache) of the reconciled kind.</summary>
    public SharedInformer<TEntity> Informer => _informer;

    /// <summary>Reconcile passes finished so far (any result).</summary>
    public long Reconciled => Interlocked.Read(ref _reconciled);

    /// <summary>True when nothing is queued or being reconciled.</summary>
    public bool IsIdle => Volatile.Read(ref _inFlight) == 0 && (_queue?.IsIdle ?? true);

    /// <summary>Our writes the informer has not delivered yet.</summary>
    public OwnWriteExpectations Expectations { get; } = new();

    public GenerationChangedFilter Filter { get; } = new();

    /// <summary>The queue of the current run (null before the first run).</summary>
    public WorkQueue? Queue { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var queue = new WorkQueue(Name, new ExponentialBackoff(_options.BackoffBase, _options.BackoffMax), _time, _metrics);
        using var workerStop = new CancellationTokenSource();
        Queue = queue;
        _deletionsHandled.Clear();
        _forced.Clear();
        _queue = queue;

        // The informers run for the whole process; the first run starts them (hosting starts them earlier).
        _informers.Start();
        var resync = EnqueueCachedAsync(queue, stoppingToken);
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
        _queue = null;
        queue.ShutDown();
        await AwaitQuietlyAsync(resync).ConfigureAwait(false);
        var drained = Task.WhenAll(workers);
        if (await Task.WhenAny(drained, Task.Delay(_options.DrainTimeout, _time, CancellationToken.None)).ConfigureAwait(false) != drained)
        {
            _logger.LogWarning("Controller {Controller}: reconciles still running after {Timeout}; cancelling them", Name, _options.DrainTimeout);
            await workerStop.CancelAsync().ConfigureAwait(false);
        }

        await AwaitQuietlyAsync(drained).ConfigureAwait(false);
        _logger.LogInformation("Controller {Controller} stopped", Name);
    }

    /// <summary>A new run sees every object once, as a fresh watch's initial list would deliver them.</summary>
    private async Task EnqueueCachedAsync(WorkQueue queue, CancellationToken cancellationToken)
    {
        await _informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        foreach (var obj in _informer.List())
        {
            queue.Add(EntityKey.Of(obj).ToString());
        }
    }

    private void EnqueueForced(string key)
    {
        if (_queue is { } queue)
        {
            _forced[key] = 0;
            queue.Add(key);
        }
    }

    private void OnEvent(EntityEventType type, TEntity obj, TEntity? previous)
    {
        var key = EntityKey.Of(obj).ToString();
        Expectations.Observed(key, obj.Metadata.ResourceVersion);
        var queue = _queue;
        if (type == EntityEventType.Deleted && obj.Metadata.Uid is { } uid
            && (_deletionsHandled.TryRemove(uid, out _) || queue is null))
        {
            // A worker already saw it gone and called DeletedAsync with this object, or nothing runs to tell.
            _lastSeen.TryRemove(key, out _);
            Expectations.Forget(key);
            Filter.Forget(uid);
            return;
        }

        _lastSeen[key] = obj;
        if (queue is not null && (_options.ReconcileEveryChange || Filter.ShouldEnqueue(type, previous, obj)))
        {
            queue.Add(key);
        }
    }

    private async Task WorkAsync(WorkQueue queue, CancellationToken cancellationToken)
    {
        while (await queue.TakeAsync(cancellationToken).ConfigureAwait(false) is { } key)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                await ProcessAsync(queue, key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _reconciled);
                Interlocked.Decrement(ref _inFlight);
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
        catch (FinalizerPendingException ex)
        {
            result = ReconcileResults.Requeue;
            var delay = queue.AddRateLimited(key);
            _logger.LogInformation("Finalizing {Key}: {Waiting}; looking again in {Delay}", key, ex.Message, delay);
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
        var entity = await ReadAsync(key, id, cancellationToken).ConfigureAwait(false);
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
            await _finalizers.RunPendingAsync(entity, scope.ServiceProvider, written => Expectations.Expect(key, written.Metadata.ResourceVersion)).ConfigureAwait(false);
            return ReconcileResults.Finalized;
        }

        if (!forced && !_options.ReconcileEveryChange && AlreadyReconciled(entity))
        {
            // Queued by an event that arrived while this generation was being reconciled (our own status or
            // finalizer write, or a spec change the worker already read): reconciling again would repeat the work.
            return ReconcileResults.Skipped;
        }

        var read = entity.Metadata.ResourceVersion;
        entity = await _finalizers.EnsureAddedAsync(entity, cancellationToken).ConfigureAwait(false);
        var given = entity.Metadata.ResourceVersion;
        if (given != read)
        {
            Expectations.Expect(key, given);
        }

        var outcome = await controller.ReconcileAsync(entity, cancellationToken).ConfigureAwait(false);
        if (entity.Metadata.ResourceVersion != given)
        {
            // The controller wrote the object (status) and reported the version the server gave it.
            Expectations.Expect(key, entity.Metadata.ResourceVersion);
        }

        Filter.Reconciled(entity);
        if (outcome.RequeueAfter is { } after)
        {
            _forced[key] = 0;
            queue.AddAfter(key, after);
            return ReconcileResults.Requeue;
        }

        return ReconcileResults.Success;
    }

    /// <summary>
    /// The object to reconcile: a private copy of the cached one, or — while the cache has not delivered a write of
    /// ours yet — the object as the API server has it now. Null when it is gone.
    /// </summary>
    private async Task<TEntity?> ReadAsync(string key, EntityKey id, CancellationToken cancellationToken)
    {
        var cached = _informer.Get(id.Namespace, id.Name);
        if (cached is not null && Expectations.IsCurrent(key, cached.Metadata.ResourceVersion))
        {
            return Copy(cached);
        }

        if (cached is null && Expectations.IsCurrent(key, null))
        {
            return null;
        }

        var live = await _client.GetAsync<TEntity>(id.Name, id.Namespace, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            Expectations.Forget(key);
        }
        else
        {
            // The cache catches up to at least this version; until then reads stay live.
            Expectations.Expect(key, live.Metadata.ResourceVersion);
        }

        return live;
    }

    // Our kinds round-trip through their source-generated contract; built-in kinds through the library's settings.
    private static TEntity Copy(TEntity cached) =>
        ImprintJsonContext.Default.GetTypeInfo(typeof(TEntity)) is JsonTypeInfo<TEntity> typeInfo
            ? JsonSerializer.Deserialize(JsonSerializer.Serialize(cached, typeInfo), typeInfo)!
            : KubernetesJson.Deserialize<TEntity>(KubernetesJson.Serialize(cached));

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
