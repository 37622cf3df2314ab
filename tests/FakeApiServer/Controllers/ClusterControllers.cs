namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// Runs the simulated kube-controller-manager loops (<see cref="ObjectStore.RunControllersOnce"/>) on a background task
/// after writes, so their effects arrive asynchronously as on a real cluster; <see cref="SettleAsync"/> waits for them.
/// </summary>
internal sealed class ClusterControllers : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(long Generation, TaskCompletionSource Done)> _waiters = [];
    private readonly Task _worker;
    private long _requested;

    public ClusterControllers(ObjectStore store)
    {
        _store = store;
        _worker = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Something changed: run the controllers again soon.</summary>
    public void Poke()
    {
        Interlocked.Increment(ref _requested);
        _signal.Release();
    }

    /// <summary>Completes once a full controller pass that started after this call found nothing more to do.</summary>
    public Task SettleAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
            _waiters.Add((Interlocked.Increment(ref _requested), done));
        _signal.Release();
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _worker;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (true)
        {
            await _signal.WaitAsync(ct);
            while (_signal.CurrentCount > 0)
                await _signal.WaitAsync(ct);
            var generation = Interlocked.Read(ref _requested);
            try
            {
                while (_store.RunControllersOnce())
                    ct.ThrowIfCancellationRequested();
            }
            catch (ApiException)
            {
                // A controller write that the store refused is retried on the next change, as a requeue would.
            }
            lock (_gate)
            {
                foreach (var waiter in _waiters.Where(w => w.Generation <= generation).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
