using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Watching;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>
/// List + watch of one kind into an indexed <see cref="InformerStore{T}"/>, after client-go's shared informer: list,
/// then watch from the list's resourceVersion; follow the resourceVersion of every event (bookmarks too); on 410 Gone
/// relist and deliver the difference to the cache as Added/Modified/Deleted; reconnect with jittered exponential backoff
/// (or the server's Retry-After). Handlers run on the watch loop, in order, after the store has been updated, so a
/// handler reading the cache sees at least the object it was told about.
/// </summary>
public sealed partial class SharedInformer<T>(
    IKubernetesClient client,
    InformerOptions options,
    ILogger logger,
    TimeProvider? timeProvider = null,
    OperatorMetrics? metrics = null) : IInformerCache<T>, ISharedInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly InformerStore<T> _store = new();
    private readonly Lock _dispatch = new();
    private readonly List<Action<InformerEvent<T>>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _resourceVersion;
    private long _relists;
    private long _watches;

    public bool HasSynced => _synced.Task.IsCompleted;

    public ResourceType Resource => ResourceType.Of<T>();

    /// <summary>The label selector the informer lists and watches with (null: every object of the kind).</summary>
    public string? LabelSelector => options.LabelSelector;

    /// <summary>The resourceVersion the next watch starts from; null means the next connection lists first.</summary>
    public string? LastSyncResourceVersion => _resourceVersion;

    public int Count => _store.Count;

    /// <summary>Full lists made so far (the first one and one per 410 Gone).</summary>
    public long Relists => Interlocked.Read(ref _relists);

    /// <summary>Watch connections opened so far.</summary>
    public long Watches => Interlocked.Read(ref _watches);

    /// <summary>Completes once the first full list has been stored and delivered.</summary>
    public Task Synced => _synced.Task;

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? ns, string name) => _store.Get(new EntityKey(ns, name).ToString());

    public IReadOnlyList<T> List(string? ns = null) => _store.List(ns);

    public IReadOnlyList<T> ListByOwner(string ownerUid) => _store.ListByOwner(ownerUid);

    /// <summary>
    /// Adds a handler. Added after the first sync it is first told about every cached object as Added (as client-go
    /// does), so late subscribers do not miss objects. Exceptions from a handler are logged and do not stop the watch.
    /// </summary>
    public void AddEventHandler(Action<InformerEvent<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dispatch)
        {
            _handlers.Add(handler);
            if (HasSynced)
            {
                foreach (var item in _store.List())
                {
                    Invoke(handler, new InformerEvent<T>(EntityEventType.Added, item, null));
                }
            }
        }
    }

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires; never throws for API errors.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var kind = ResourceType.Of<T>().Kind;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                if (_resourceVersion is null)
                {
                    await RelistAsync(cancellationToken).ConfigureAwait(false);
                }

                var started = _time.GetTimestamp();
                var received = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                reason = "closed";
                if (received == 0 && _time.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
                {
                    // A server that closes every watch at once must not turn this loop into a busy spin.
                    failures++;
                    metrics?.WatchRestarted(kind, reason);
                    await Task.Delay(Backoff(failures, null), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsGone)
            {
                LogExpired(logger, kind, _resourceVersion);
                _resourceVersion = null;
                failures = 0;
                reason = "gone";
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(failures, (ex as KubernetesApiException)?.RetryAfter);
                LogFailed(logger, ex, kind, failures, delay);
                metrics?.WatchRestarted(kind, "error");
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            metrics?.WatchRestarted(kind, reason);
        }
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var listed = new List<T>();
        string? continueToken = null;
        string? listVersion;
        do
        {
            var page = await client.ListAsync<T>(
                options.Namespace,
                new ListOptions { LabelSelector = options.LabelSelector, Limit = options.PageSize, Continue = continueToken },
                cancellationToken).ConfigureAwait(false);
            listed.AddRange(page.Items);
            listVersion = page.Metadata.ResourceVersion;
            continueToken = page.Metadata.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        Interlocked.Increment(ref _relists);
        lock (_dispatch)
        {
            foreach (var change in _store.Replace(listed))
            {
                DispatchLocked(change);
            }

            _resourceVersion = listVersion;
            _synced.TrySetResult();
        }
    }

    /// <summary>One watch connection; returns how many events (bookmarks included) it delivered.</summary>
    private async Task<int> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var received = 0;
        var timeout = options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble());
        var watchOptions = new ListOptions
        {
            LabelSelector = options.LabelSelector,
            ResourceVersion = _resourceVersion,
            AllowWatchBookmarks = true,
            TimeoutSeconds = (int)timeout,
        };
        Interlocked.Increment(ref _watches);
        await foreach (var watchEvent in client.WatchAsync<T>(options.Namespace, watchOptions, cancellationToken).ConfigureAwait(false))
        {
            if (watchEvent.Type == WatchEventType.Error)
            {
                // Any ERROR other than 410 (which the client throws): drop the connection, start over from the RV we have.
                throw new InvalidOperationException($"Watch of {ResourceType.Of<T>().Kind} sent an ERROR event");
            }

            if (watchEvent.Object is not { } obj)
            {
                continue;
            }

            received++;
            lock (_dispatch)
            {
                Apply(watchEvent.Type, obj);
                if (!string.IsNullOrEmpty(obj.Metadata.ResourceVersion))
                {
                    _resourceVersion = obj.Metadata.ResourceVersion;
                }
            }
        }

        return received;
    }

    private void Apply(WatchEventType type, T obj)
    {
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var previous = _store.Upsert(obj);
                if (previous?.Metadata.ResourceVersion is { } seen && seen == obj.Metadata.ResourceVersion)
                {
                    // Already applied (a replayed event): handlers heard of this version once.
                    return;
                }

                DispatchLocked(new InformerEvent<T>(previous is null ? EntityEventType.Added : EntityEventType.Modified, obj, previous));
                break;
            case WatchEventType.Deleted:
                var last = _store.Remove(EntityKey.Of(obj).ToString());
                DispatchLocked(new InformerEvent<T>(EntityEventType.Deleted, obj, last));
                break;
            default:
                // BOOKMARK: only its resourceVersion matters.
                break;
        }
    }

    private void DispatchLocked(InformerEvent<T> change)
    {
        foreach (var handler in _handlers)
        {
            Invoke(handler, change);
        }
    }

    private void Invoke(Action<InformerEvent<T>> handler, InformerEvent<T> change)
    {
        try
        {
            handler(change);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, ex, ResourceType.Of<T>().Kind, change.Type);
        }
    }

    private TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds);

        // ±20 % jitter so many watchers that failed together do not reconnect together.
        var jittered = TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
        return retryAfter is { } floor && floor > jittered ? floor : jittered;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Kind} expired at resourceVersion {ResourceVersion}; relisting")]
    private static partial void LogExpired(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Kind} failed ({Failures} in a row); retrying in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string kind, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "An event handler of the {Kind} informer threw on {Type}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string kind, EntityEventType type);
}
