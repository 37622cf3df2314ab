using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Watching;

/// <summary>
/// List, then watch from the list's resourceVersion; follow the resourceVersion of every event (bookmarks too);
/// relist on 410 Gone and report what changed meanwhile as synthetic events; reconnect with jittered backoff.
/// Keeps the last seen object of every key, so a relist can tell deletions it missed.
/// </summary>
public sealed class EntityWatcher<T>(
    IKubernetesClient client,
    EntityWatcherOptions options,
    Action<EntityEventType, T> onEvent,
    ILogger logger,
    TimeProvider? timeProvider = null,
    OperatorMetrics? metrics = null)
    where T : class, IKubernetesObject<T>
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Dictionary<string, T> _known = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the first full list has been delivered.</summary>
    public bool IsSynced => _synced.Task.IsCompleted;

    /// <summary>Completes once the first full list has been delivered.</summary>
    public Task Synced => _synced.Task;

    /// <summary>The resourceVersion the next watch starts from (null: relist).</summary>
    public string? ResourceVersion { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var kind = T.Resource.Kind;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                if (ResourceVersion is null)
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
                logger.LogInformation("Watch of {Kind} expired at resourceVersion {ResourceVersion}; relisting", kind, ResourceVersion);
                ResourceVersion = null;
                failures = 0;
                reason = "gone";
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(failures, (ex as KubernetesApiException)?.RetryAfter);
                logger.LogWarning(ex, "Watch of {Kind} failed ({Failures} in a row); retrying in {Delay}", kind, failures, delay);
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
        var seen = new Dictionary<string, T>(StringComparer.Ordinal);
        string? continueToken = null;
        string? listVersion;
        do
        {
            var page = await client.ListAsync<T>(
                options.Namespace,
                new ListOptions { LabelSelector = options.LabelSelector, Limit = options.PageSize, Continue = continueToken },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                seen[EntityKey.Of(item).ToString()] = item;
            }

            listVersion = page.Metadata.ResourceVersion;
            continueToken = page.Metadata.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));

        foreach (var (key, old) in _known.ToList())
        {
            if (!seen.ContainsKey(key))
            {
                _known.Remove(key);
                onEvent(EntityEventType.Deleted, old);
            }
        }

        foreach (var (key, item) in seen)
        {
            if (!_known.TryGetValue(key, out var old))
            {
                _known[key] = item;
                onEvent(EntityEventType.Added, item);
            }
            else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
            {
                _known[key] = item;
                onEvent(EntityEventType.Modified, item);
            }
        }

        ResourceVersion = listVersion;
        _synced.TrySetResult();
    }

    /// <summary>One watch connection; returns how many events (bookmarks included) it delivered.</summary>
    private async Task<int> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var received = 0;
        var timeout = options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble());
        var watchOptions = new ListOptions
        {
            LabelSelector = options.LabelSelector,
            ResourceVersion = ResourceVersion,
            AllowWatchBookmarks = true,
            TimeoutSeconds = (int)timeout,
        };
        await foreach (var watchEvent in client.WatchAsync<T>(options.Namespace, watchOptions, cancellationToken).ConfigureAwait(false))
        {
            if (watchEvent.Type == "ERROR")
            {
                // Any ERROR other than 410 (which the client throws): drop the connection, start over from the RV we have.
                throw new InvalidOperationException($"Watch of {T.Resource.Kind} sent an ERROR event");
            }

            if (watchEvent.Object is not { } obj)
            {
                continue;
            }

            received++;
            switch (watchEvent.Type)
            {
                case "ADDED":
                    Deliver(EntityEventType.Added, obj);
                    break;
                case "MODIFIED":
                    Deliver(EntityEventType.Modified, obj);
                    break;
                case "DELETED":
                    Deliver(EntityEventType.Deleted, obj);
                    break;
                default:
                    // BOOKMARK: only its resourceVersion matters.
                    break;
            }

            if (!string.IsNullOrEmpty(obj.Metadata.ResourceVersion))
            {
                ResourceVersion = obj.Metadata.ResourceVersion;
            }
        }

        return received;
    }

    private void Deliver(EntityEventType type, T obj)
    {
        var key = EntityKey.Of(obj).ToString();
        if (type == EntityEventType.Deleted)
        {
            _known.Remove(key);
        }
        else
        {
            _known[key] = obj;
        }

        onEvent(type, obj);
    }

    private TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds);

        // ±20 % jitter so many watchers that failed together do not reconnect together.
        var jittered = TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
        return retryAfter is { } floor && floor > jittered ? floor : jittered;
    }
}
