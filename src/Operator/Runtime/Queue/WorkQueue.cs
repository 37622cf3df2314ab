using Imprint.Operator.Runtime.Metrics;

namespace Imprint.Operator.Runtime.Queue;

/// <summary>
/// A de-duplicating work queue of <c>namespace/name</c> keys, after client-go's workqueue: a key is queued at most
/// once; a key added while a worker holds it is queued again only when that worker calls <see cref="Done"/>, so the
/// same key is never processed concurrently. Delayed adds keep the earliest due time per key.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<string> _fifo = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _queuedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DelayedKey> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly string _name;
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly OperatorMetrics? _metrics;

    public WorkQueue(string name, ExponentialBackoff backoff, TimeProvider? timeProvider = null, OperatorMetrics? metrics = null)
    {
        _name = name;
        _backoff = backoff;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = metrics;
    }

    /// <summary>Keys ready for a worker (not counting delayed or in-flight keys).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _fifo.Count;
            }
        }
    }

    /// <summary>True when no key is ready and none is held by a worker (delayed keys do not count).</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _fifo.Count == 0 && _processing.Count == 0;
            }
        }
    }

    public bool IsShuttingDown => _shutdown.IsCancellationRequested;

    public void Add(string key)
    {
        lock (_lock)
        {
            if (IsShuttingDown || !_dirty.Add(key))
            {
                return;
            }

            if (!_processing.Contains(key))
            {
                EnqueueLocked(key);
            }
        }
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier pending add of the same key wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (IsShuttingDown)
            {
                return;
            }

            var due = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var delayed = new DelayedKey(due);
            delayed.Timer = _time.CreateTimer(_ => Fire(key, delayed), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = delayed;
        }
    }

    /// <summary>Adds the key after its backoff delay (or <paramref name="atLeast"/>, e.g. a server's Retry-After).</summary>
    public TimeSpan AddRateLimited(string key, TimeSpan? atLeast = null)
    {
        var delay = _backoff.NextDelay(key);
        if (atLeast is { } floor && floor > delay)
        {
            delay = floor;
        }

        _metrics?.QueueRetried(_name);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count after a success.</summary>
    public void Forget(string key) => _backoff.Forget(key);

    public int Failures(string key) => _backoff.Failures(key);

    /// <summary>Waits for a key; null once the queue is shut down (queued keys are then left unprocessed).</summary>
    public async Task<string?> TakeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        try
        {
            await _available.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            return null;
        }

        lock (_lock)
        {
            if (IsShuttingDown)
            {
                // Give the permit back so other takers wake up and see the shutdown too.
                _available.Release();
                return null;
            }

            var key = _fifo.First!.Value;
            _fifo.RemoveFirst();
            _dirty.Remove(key);
            _processing.Add(key);
            _metrics?.QueueDepthChanged(_name, -1);
            if (_queuedAt.Remove(key, out var queuedAt))
            {
                _metrics?.QueueWaited(_name, _time.GetElapsedTime(queuedAt));
            }

            return key;
        }
    }

    /// <summary>Marks the key finished; if it was added meanwhile it goes back in the queue now.</summary>
    public void Done(string key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !IsShuttingDown)
            {
                EnqueueLocked(key);
            }
        }
    }

    /// <summary>Stops handing out keys and cancels pending delayed adds; in-flight keys finish normally.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (IsShuttingDown)
            {
                return;
            }

            _shutdown.Cancel();
            foreach (var delayed in _waiting.Values)
            {
                delayed.Timer.Dispose();
            }

            _waiting.Clear();
            _metrics?.QueueDepthChanged(_name, -_fifo.Count);
        }
    }

    public void Dispose()
    {
        ShutDown();
        _shutdown.Dispose();
        _available.Dispose();
    }

    private void EnqueueLocked(string key)
    {
        _fifo.AddLast(key);
        _queuedAt[key] = _time.GetTimestamp();
        _metrics?.QueueDepthChanged(_name, 1);
        _available.Release();
    }

    private void Fire(string key, DelayedKey delayed)
    {
        lock (_lock)
        {
            // A later, earlier-due AddAfter may have replaced this timer.
            if (!_waiting.TryGetValue(key, out var current) || !ReferenceEquals(current, delayed))
            {
                return;
            }

            _waiting.Remove(key);
            delayed.Timer.Dispose();
        }

        Add(key);
    }

    private sealed class DelayedKey(long due)
    {
        public long Due { get; } = due;

        public ITimer Timer { get; set; } = null!;
    }
}
