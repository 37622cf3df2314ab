using System.Diagnostics.Metrics;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Finalizers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Integration.Support;

/// <summary>
/// The runtime over the real <see cref="KubernetesClient"/> (HTTP on loopback) against <see cref="FakeKubeApiServer"/>:
/// one <see cref="EntityControllerRunner{TEntity}"/> for <see cref="TestWidget"/> with short backoffs. The runner's
/// clock (requeues, backoff, drain timeout) is <see cref="Clock"/>, which only the test moves; the informers keep real
/// time, since their waits are for the server's I/O.
/// </summary>
public sealed class FakeClusterHarness : IAsyncDisposable
{
    public const string FinalizerName = "test.imprint.dev/cleanup";

    private readonly CancellationTokenSource _stop = new();
    private readonly ServiceProvider _services;
    private readonly MeterListener _queueAdds = new();
    private long _queued;
    private Task _run = Task.CompletedTask;

    private FakeClusterHarness(
        FakeKubeApiServer server,
        Func<SharedInformerFactory, IReadOnlyList<IOwnerEventSource>>? owned,
        int workers,
        Func<KubernetesClient, IEntityController<TestWidget>>? controller,
        Func<KubernetesClient, IKubernetesClient>? informerClient,
        ControllerOptions? options,
        bool withFinalizer,
        TimeProvider? runnerTime)
    {
        Server = server;
        Name = $"widget-{Guid.NewGuid():N}"[..15];
        Client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString(), Namespace = "default" });
        _services = new ServiceCollection()
            .AddSingleton<IEntityController<TestWidget>>(controller?.Invoke(Client) ?? Controller)
            .AddSingleton(Finalizer)
            .BuildServiceProvider();
        var watch = new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500) };
        Informers = new SharedInformerFactory(informerClient?.Invoke(Client) ?? Client, watch, NullLoggerFactory.Instance, metrics: Metrics);
        Runner = new EntityControllerRunner<TestWidget>(
            Client,
            _services,
            (options ?? new ControllerOptions { Workers = workers, BackoffBase = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromSeconds(1) }) with
            {
                Name = Name,
                Watch = watch,
            },
            withFinalizer ? [new FinalizerRegistration(FinalizerName, typeof(RecordingFinalizer))] : [],
            Informers,
            owned?.Invoke(Informers) ?? [],
            NullLoggerFactory.Instance,
            Metrics,
            runnerTime ?? Clock);

        // Every key the runner put in its queue (a +1 of the depth gauge), so tests can assert that an event did not
        // enqueue anything without waiting to see whether a reconcile shows up.
        _queueAdds.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Metrics.Meter) && instrument.Name == "imprint.operator.queue.depth")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _queueAdds.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (value > 0)
            {
                Interlocked.Add(ref _queued, value);
            }
        });
        _queueAdds.Start();
    }

    public FakeKubeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public string Name { get; }

    /// <summary>The reconciler unless another was passed to <see cref="CreateAsync"/>.</summary>
    public RecordingController Controller { get; } = new();

    public RecordingFinalizer Finalizer { get; } = new();

    public OperatorMetrics Metrics { get; } = new();

    /// <summary>
    /// The runner's time unless another was passed to <see cref="CreateAsync"/>: requeue delays, failure backoff and
    /// the drain timeout wait for <see cref="FakeClock.Advance"/>.
    /// </summary>
    public FakeClock Clock { get; } = new();

    /// <summary>Keys put in the runner's work queue so far.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    public EntityControllerRunner<TestWidget> Runner { get; }

    /// <summary>The process's informers; they outlive a run of <see cref="Runner"/>, as in the operator.</summary>
    public SharedInformerFactory Informers { get; }

    public static async Task<FakeClusterHarness> CreateAsync(
        Func<SharedInformerFactory, IReadOnlyList<IOwnerEventSource>>? owned = null,
        int workers = 2,
        FakeApiServerOptions? options = null,
        Func<KubernetesClient, IEntityController<TestWidget>>? controller = null,
        Func<KubernetesClient, IKubernetesClient>? informerClient = null,
        ControllerOptions? controllerOptions = null,
        bool withFinalizer = false,
        TimeProvider? runnerTime = null)
    {
        var server = await StartServerAsync(options ?? new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        return new FakeClusterHarness(server, owned, workers, controller, informerClient, controllerOptions, withFinalizer, runnerTime);
    }

    /// <summary>Starts a fake API server that serves the widget CRD.</summary>
    public static async Task<FakeKubeApiServer> StartServerAsync(FakeApiServerOptions options)
    {
        var server = await FakeKubeApiServer.StartAsync(options);
        server.Put(WidgetDefinition.Crd());
        return server;
    }

    /// <summary>
    /// Waits until the informer has delivered an event for which <paramref name="seen"/> holds to every handler
    /// registered before this call (the runner's among them): events of one informer reach handlers in order.
    /// </summary>
    public static Task DeliveredAsync<T>(SharedInformer<T> informer, Func<InformerEvent<T>, bool> seen)
        where T : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.AddEventHandler(e =>
        {
            if (seen(e))
            {
                delivered.TrySetResult();
            }
        });
        return delivered.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Waits until nothing is queued or being reconciled.</summary>
    public Task IdleAsync() => Eventually.TrueAsync(() => Runner.IsIdle, "runner idle", 20);

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
        _queueAdds.Dispose();
        Informers.Dispose();
        Client.Dispose();
        Metrics.Dispose();
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
