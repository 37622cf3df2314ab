using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Finalizers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Watching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>One <see cref="EntityControllerRunner{TEntity}"/> for <see cref="TestWidget"/> over the in-memory API server.</summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    public const string FinalizerName = "test.imprint.dev/cleanup";

    private readonly CancellationTokenSource _stop = new();
    private readonly ServiceProvider _services;
    private Task _run = Task.CompletedTask;

    public ControllerHarness(ControllerOptions? options = null, bool withFinalizer = false, Func<SharedInformerFactory, IReadOnlyList<IOwnerEventSource>>? owned = null)
    {
        Name = $"widget-{Guid.NewGuid():N}"[..15];
        var services = new ServiceCollection();
        services.AddSingleton(Controller);
        services.AddSingleton<IEntityController<TestWidget>>(Controller);
        services.AddSingleton(Finalizer);
        _services = services.BuildServiceProvider();
        var watch = new EntityWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) };
        Informers = new SharedInformerFactory(Client, watch, NullLoggerFactory.Instance, metrics: Metrics);
        Runner = new EntityControllerRunner<TestWidget>(
            Client,
            _services,
            (options ?? new ControllerOptions { BackoffBase = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromSeconds(1) }) with
            {
                Name = Name,
                Watch = watch,
            },
            withFinalizer ? [new FinalizerRegistration(FinalizerName, typeof(RecordingFinalizer))] : [],
            Informers,
            owned?.Invoke(Informers) ?? [],
            NullLoggerFactory.Instance,
            Metrics);
    }

    public string Name { get; }

    public InMemoryKubernetesClient Client { get; } = new();

    public RecordingController Controller { get; } = new();

    public RecordingFinalizer Finalizer { get; } = new();

    public OperatorMetrics Metrics { get; } = new();

    public EntityControllerRunner<TestWidget> Runner { get; }

    /// <summary>The informers shared by the runner and the owned-object sources.</summary>
    public SharedInformerFactory Informers { get; }

    public async Task StartAsync()
    {
        _run = Runner.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => Runner.IsSynced, "controller synced");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        await Informers.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        Informers.Dispose();
        Metrics.Dispose();
        await _services.DisposeAsync();
    }
}
