using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>
/// The one informer per kind for the whole process (client-go's SharedInformerFactory): every controller that watches
/// or reads a kind shares its list, its watch stream and its cache. Informers run from <see cref="Start"/> until
/// <see cref="StopAsync"/> — across leadership terms, so a replica that takes over starts with warm caches and
/// handlers are added once per process, not once per term.
/// </summary>
public sealed class SharedInformerFactory(
    IKubernetesClient client,
    InformerOptions options,
    ILoggerFactory loggerFactory,
    TimeProvider? timeProvider = null,
    OperatorMetrics? metrics = null) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Type, ISharedInformer> _informers = [];
    private readonly List<Task> _runs = [];
    private CancellationTokenSource? _stop;

    /// <summary>Every informer made so far.</summary>
    public IReadOnlyList<ISharedInformer> Informers
    {
        get
        {
            lock (_lock)
            {
                return [.. _informers.Values];
            }
        }
    }

    public bool IsStarted
    {
        get
        {
            lock (_lock)
            {
                return _stop is not null;
            }
        }
    }

    /// <summary>True once every informer has listed once.</summary>
    public bool HasSynced => Informers.All(i => i.HasSynced);

    /// <summary>
    /// The informer of <typeparamref name="T"/>, made on first use with <paramref name="labelSelector"/>. A later caller
    /// that names no selector shares whatever the first chose; naming a different one is a programming error, since one
    /// watch per kind cannot serve two selections. Made after <see cref="Start"/>, it starts at once.
    /// </summary>
    public SharedInformer<T> For<T>(string? labelSelector = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                if (labelSelector is not null && existing.LabelSelector != labelSelector)
                {
                    throw new InvalidOperationException(
                        $"The {ResourceType.Of<T>().Kind} informer selects '{existing.LabelSelector}'; '{labelSelector}' cannot share its watch");
                }

                return (SharedInformer<T>)existing;
            }

            var informer = new SharedInformer<T>(
                client,
                options with { LabelSelector = labelSelector },
                loggerFactory.CreateLogger($"Imprint.Operator.Informers.{ResourceType.Of<T>().Kind}"),
                timeProvider,
                metrics);
            _informers[typeof(T)] = informer;
            if (_stop is { } stop)
            {
                _runs.Add(informer.RunAsync(stop.Token));
            }

            return informer;
        }
    }

    /// <summary>The informer of <typeparamref name="T"/> if one was made, without making one.</summary>
    public SharedInformer<T>? Find<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            return _informers.TryGetValue(typeof(T), out var informer) ? (SharedInformer<T>)informer : null;
        }
    }

    /// <summary>Starts every informer (and any made later); calling it again does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_stop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            foreach (var informer in _informers.Values)
            {
                _runs.Add(informer.RunAsync(_stop.Token));
            }
        }
    }

    /// <summary>Stops every watch and waits for the loops to end.</summary>
    public async Task StopAsync()
    {
        Task[] runs;
        CancellationTokenSource? stop;
        lock (_lock)
        {
            stop = _stop;
            runs = [.. _runs];
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stop?.Cancel();
            _stop?.Dispose();
            _stop = null;
            _runs.Clear();
        }
    }
}
