using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Controllers;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Testing.FakeApiServer;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Bench;

/// <summary>
/// The whole operator (both controllers as registered in production) over N Ready GoldenImages: a first operator
/// settles them (finalizers, observedGeneration), then a second one starts as a restarted pod would and is measured:
/// time until every image was reconciled, API requests besides its lists and watches, requests per object, and the
/// watch streams it holds open. Uses only the public hosting API, so the same source measures an older tree.
/// </summary>
internal static class OperatorScenario
{
    public static async Task<string> RunAsync(FakeKubeApiServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = "ready-" + i.ToString(CultureInfo.InvariantCulture);
            server.Put(new JsonObject
            {
                ["apiVersion"] = "imprint.dev/v1alpha1",
                ["kind"] = "GoldenImage",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "steady", ["generation"] = 1 },
                ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = name + "-source" } } },
                ["status"] = new JsonObject
                {
                    ["phase"] = "Ready",
                    ["pvc"] = new JsonObject { ["name"] = name + "-golden", ["namespace"] = "steady" },
                    ["virtualSize"] = 134217728,
                    ["size"] = "128Mi",
                    ["progress"] = "100%",
                },
            });
        }

        await using (var first = await RunningOperator.StartAsync(server))
        {
            await first.SettledAsync(count, server);
        }

        server.ResetRequests();
        var stopwatch = Stopwatch.StartNew();
        await using var second = await RunningOperator.StartAsync(server);
        await second.ReconciledAsync(count);
        var elapsed = stopwatch.Elapsed;
        await second.SettledAsync(count, server);

        // The first operator's watches stay open on the server until it next writes to them (a bookmark) and finds the
        // connection gone; counted before that, they double the streams. Give them a few bookmark intervals to go.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.OpenWatches.Values.Any(n => n > 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        var requests = server.Requests;
        var watches = server.OpenWatches;
        var lists = requests.Count(r => r.Method == "GET" && !r.Query.Contains("watch=true", StringComparison.Ordinal) && IsCollection(r.Path));
        var gets = requests.Count(r => r.Method == "GET" && !IsCollection(r.Path));
        var writes = requests.Count(r => r.Method is "PUT" or "PATCH" or "POST" or "DELETE");
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"objects\":{count},\"allReconciledMs\":{elapsed.TotalMilliseconds:0},\"lists\":{lists},\"gets\":{gets},\"writes\":{writes},\"apiRequestsPerObject\":{(double)requests.Count / count:0.###},\"apiRequestsPerObjectBesidesListAndWatch\":{(double)(gets + writes) / count:0.###},\"watchStreams\":{watches.Values.Sum()},\"watchStreamsByResource\":{{{string.Join(",", watches.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"\"{w.Key}\":{w.Value}"))}}}}}");
    }

    private static bool IsCollection(string path)
    {
        var segments = path.Trim('/').Split('/');
        var nsIndex = Array.IndexOf(segments, "namespaces");
        return nsIndex < 0 ? segments.Length == (segments[0] == "api" ? 3 : 4) : segments.Length == nsIndex + 3;
    }

    private sealed class RunningOperator : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly KubernetesClient _client;
        private readonly MeterListener _listener = new();
        private long _goldenReconciles;

        private RunningOperator(IHost host, KubernetesClient client)
        {
            _host = host;
            _client = client;
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "imprint.operator.reconciles")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "controller" && Equals(tag.Value, "goldenimage"))
                    {
                        Interlocked.Add(ref _goldenReconciles, value);
                    }
                }
            });
            _listener.Start();
        }

        public static async Task<RunningOperator> StartAsync(FakeKubeApiServer server)
        {
            var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
            var builder = Host.CreateApplicationBuilder([]);
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IKubernetesClient>(client);
            builder.Services.AddImprintOperator(o => o.LeaderElection = false).AddImprintControllers(new ImprintOptions { LeaderElection = false });
            var host = builder.Build();
            var running = new RunningOperator(host, client);
            await host.StartAsync().ConfigureAwait(false);
            return running;
        }

        public async Task ReconciledAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (Interlocked.Read(ref _goldenReconciles) < count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"only {_goldenReconciles} of {count} GoldenImages reconciled");
                }

                await Task.Delay(5).ConfigureAwait(false);
            }
        }

        /// <summary>Every image reconciled, then no request for a second.</summary>
        public async Task SettledAsync(int count, FakeKubeApiServer server)
        {
            await ReconciledAsync(count).ConfigureAwait(false);
            var seen = -1;
            while (server.Requests.Count != seen)
            {
                seen = server.Requests.Count;
                await Task.Delay(1000).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            await _host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            _host.Dispose();
            _client.Dispose();
        }
    }
}
