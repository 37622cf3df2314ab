using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Testing.FakeApiServer;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

// Controller-loop benchmark run by `make bench`, one scenario per process (each reports its own peak RSS):
//   loop:     N GoldenImages in the fake API server, one controller with a trivial reconciler over our real client
//             (HTTP on loopback): time until every object was reconciled once, API calls per object.
//   operator: the whole operator over N Ready GoldenImages after a restart (OperatorScenario): steady-state API calls
//             per object and the watch streams it holds open.
// Usage: Imprint.Operator.Bench [COUNT] [loop|operator]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var scenario = args.Length > 1 ? args[1] : "loop";
await using var server = await FakeKubeApiServer.StartAsync();
foreach (var crd in CrdGenerator.DiscoverEntities().Select(CrdGenerator.Build))
{
    server.Put(crd);
}

if (scenario == "operator")
{
    var measured = await Imprint.Operator.Bench.OperatorScenario.RunAsync(server, count).ConfigureAwait(false);
    Console.WriteLine(measured[..^1] + string.Create(CultureInfo.InvariantCulture, $",\"peakRssMiB\":{PeakRssMiB():0.0}}}"));
    return 0;
}

for (var i = 0; i < count; i++)
{
    var n = i.ToString(CultureInfo.InvariantCulture);
    server.Put(new JsonObject
    {
        ["apiVersion"] = "imprint.dev/v1alpha1",
        ["kind"] = "GoldenImage",
        ["metadata"] = new JsonObject { ["name"] = "golden-" + n, ["namespace"] = "bench" },
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = "disk-" + n } } },
    });
}

server.ResetRequests();
using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
var reconciler = new CountingReconciler(count);
var services = new ServiceCollection().AddSingleton<IEntityController<V1Alpha1GoldenImage>>(reconciler).BuildServiceProvider();
using var metrics = new OperatorMetrics();
using var informers = new SharedInformerFactory(client, new InformerOptions(), NullLoggerFactory.Instance, metrics: metrics);
var runner = new EntityControllerRunner<V1Alpha1GoldenImage>(client, services, new ControllerOptions { Name = "bench", Workers = 4 }, [], informers, [], NullLoggerFactory.Instance, metrics);
using var stop = new CancellationTokenSource();
var stopwatch = Stopwatch.StartNew();
var run = runner.RunAsync(stop.Token);
await reconciler.AllSeen.Task.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
var elapsed = stopwatch.Elapsed;
var requests = server.Requests.Count;
var openWatches = server.OpenWatches;
await stop.CancelAsync().ConfigureAwait(false);
try
{
    await run.ConfigureAwait(false);
}
catch (OperationCanceledException)
{
}

var watchStreams = openWatches.Values.Sum();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"objects\":{count},\"allReconciledMs\":{elapsed.TotalMilliseconds:0},\"apiRequests\":{requests},\"apiRequestsPerObject\":{(double)requests / count:0.###},\"watchStreams\":{watchStreams},\"peakRssMiB\":{PeakRssMiB():0.0}}}"));
return 0;

static double PeakRssMiB() => long.Parse(
    File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
    CultureInfo.InvariantCulture) / 1024.0;

/// <summary>Reconciles by counting distinct objects; completes when all have been seen.</summary>
internal sealed class CountingReconciler(int expected) : IEntityController<V1Alpha1GoldenImage>
{
    private readonly HashSet<string> _seen = [];

    public TaskCompletionSource AllSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ReconcileResult> ReconcileAsync(V1Alpha1GoldenImage entity, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            if (_seen.Add(entity.Metadata.Name!) && _seen.Count == expected)
            {
                AllSeen.TrySetResult();
            }
        }

        return Task.FromResult(ReconcileResult.Success());
    }

    public Task<ReconcileResult> DeletedAsync(V1Alpha1GoldenImage entity, CancellationToken cancellationToken) => Task.FromResult(ReconcileResult.Success());
}
