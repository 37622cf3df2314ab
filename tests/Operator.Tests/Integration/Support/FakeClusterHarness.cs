using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Watching;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Integration.Support;

/// <summary>
/// The runtime over the real <see cref="KubernetesClient"/> (HTTP on loopback) against <see cref="FakeKubeApiServer"/>:
/// one <see cref="EntityControllerRunner{TEntity}"/> for <see cref="TestWidget"/> with short backoffs.
/// </summary>
public sealed class FakeClusterHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ServiceProvider _services;
    private Task _run = Task.CompletedTask;

    private FakeClusterHarness(FakeKubeApiServer server, Func<SharedInformerFactory, IReadOnlyList<IOwnerEventSource>>? owned, int workers, Func<KubernetesClient, IEntityController<TestWidget>>? controller, Func<KubernetesClient, IKubernetesClient>? informerClient)
    {
        Server = server;
        Name = $"widget-{Guid.NewGuid():N}"[..15];
        Client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString(), Namespace = "default" });
        _services = new ServiceCollection().AddSingleton<IEntityController<TestWidget>>(controller?.Invoke(Client) ?? Controller).BuildServiceProvider();
        var watch = new EntityWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500) };
        Informers = new SharedInformerFactory(informerClient?.Invoke(Client) ?? Client, watch, NullLoggerFactory.Instance, metrics: Metrics);
        Runner = new EntityControllerRunner<TestWidget>(
            Client,
            _services,
            new ControllerOptions
            {
                Name = Name,
                Workers = workers,
                BackoffBase = TimeSpan.FromMilliseconds(20),
                BackoffMax = TimeSpan.FromSeconds(1),
                Watch = watch,
            },
            [],
            Informers,
            owned?.Invoke(Informers) ?? [],
            NullLoggerFactory.Instance,
            Metrics);
    }

    public FakeKubeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public string Name { get; }

    /// <summary>The reconciler unless another was passed to <see cref="CreateAsync"/>.</summary>
    public RecordingController Controller { get; } = new();

    public OperatorMetrics Metrics { get; } = new();

    public EntityControllerRunner<TestWidget> Runner { get; }

    /// <summary>The process's informers; they outlive a run of <see cref="Runner"/>, as in the operator.</summary>
    public SharedInformerFactory Informers { get; }

    public static async Task<FakeClusterHarness> CreateAsync(
        Func<SharedInformerFactory, IReadOnlyList<IOwnerEventSource>>? owned = null,
        int workers = 2,
        FakeApiServerOptions? options = null,
        Func<KubernetesClient, IEntityController<TestWidget>>? controller = null,
        Func<KubernetesClient, IKubernetesClient>? informerClient = null)
    {
        var server = await FakeKubeApiServer.StartAsync(options ?? new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        server.Put(WidgetDefinition.Crd());
        return new FakeClusterHarness(server, owned, workers, controller, informerClient);
    }

    public async Task StartAsync()
    {
        _run = Runner.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => Runner.IsSynced, "controller synced", seconds: 20);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(20));

        // As the host does at shutdown: the controller first, then the watches.
        await Informers.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        Informers.Dispose();
        Client.Dispose();
        Metrics.Dispose();
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
