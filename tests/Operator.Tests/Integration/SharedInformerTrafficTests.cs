using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Tests.Integration;

/// <summary>
/// The whole operator (both controllers, real client over HTTP) against the fake API server, counting what it asks of
/// the server: one watch stream per kind it watches, and reconciles of Ready objects served from the shared caches.
/// </summary>
public sealed class SharedInformerTrafficTests
{
    private const string Ns = "traffic";
    private const int Images = 4;

    [Fact]
    public async Task The_operator_opens_one_watch_per_kind_and_a_restart_over_ready_objects_reconciles_them_without_gets_or_extra_lists()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        foreach (var crd in CrdGenerator.DiscoverEntities().Select(CrdGenerator.Build))
        {
            server.Put(crd);
        }

        for (var i = 0; i < Images; i++)
        {
            server.Put(ReadyGoldenImage("golden-" + i.ToString(CultureInfo.InvariantCulture)));
        }

        // A first operator settles the objects (finalizers, observedGeneration); it stops as a replaced pod would.
        await using (var first = await OperatorAsync(server))
        {
            await first.SettledAsync(Images);
        }

        // The library's watch streams end when the stopped operator's client is disposed; the server notices shortly after.
        await Eventually.TrueAsync(() => server.OpenWatches.Values.Sum() == 0, "the first operator's watch streams closed", 15);
        server.ResetRequests();
        await using var second = await OperatorAsync(server);
        await second.SettledAsync(Images);
        var watches = server.OpenWatches;
        var requests = server.Requests;

        // Six kinds (GoldenImages, VmClones, CloneTemplates, Jobs, pods, PVCs), one stream each, whatever the number of
        // controllers (the populator shares the PVC informer with the GoldenImage and VmClone controllers).
        Assert.Equal(second.Informers.Informers.Count, watches.Values.Sum());
        Assert.All(watches.Values, count => Assert.Equal(1, count));
        Assert.Equal(
            ["clonetemplates.imprint.dev", "goldenimages.imprint.dev", "jobs.batch", "persistentvolumeclaims", "pods", "vmclones.imprint.dev"],
            watches.Keys.Order(StringComparer.Ordinal));
        // Each image at least once (an initial-list event and the new term's resync may each queue it; the later pass is skipped).
        Assert.InRange(second.Reconciles("goldenimage"), Images, 2 * Images);
        Assert.Equal(0, second.Reconciles("vmclone"));
        Assert.Equal(0, second.Reconciles("populator"));

        // Steady state: each informer listed once; every reconcile read from the caches and had nothing to write.
        var lists = requests.Where(r => r.Method == "GET" && !r.Query.Contains("watch=true", StringComparison.Ordinal) && IsCollection(r.Path)).ToList();
        Assert.Equal(second.Informers.Informers.Count, lists.Count);
        Assert.DoesNotContain(requests, r => r.Method == "GET" && !IsCollection(r.Path));
        Assert.DoesNotContain(requests, r => r.Method is "PUT" or "PATCH" or "POST" or "DELETE");
    }

    // A collection path ends in the plural (…/namespaces/<ns>/<plural> or /apis/<g>/<v>/<plural>); an object adds a name.
    private static bool IsCollection(string path)
    {
        var segments = path.Trim('/').Split('/');
        var nsIndex = Array.IndexOf(segments, "namespaces");
        return nsIndex < 0 ? segments.Length == (segments[0] == "api" ? 3 : 4) : segments.Length == nsIndex + 3;
    }

    private static JsonObject ReadyGoldenImage(string name) => new()
    {
        ["apiVersion"] = "imprint.dev/v1alpha1",
        ["kind"] = "GoldenImage",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["generation"] = 1 },
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = name + "-source" } } },
        ["status"] = new JsonObject
        {
            ["phase"] = "Ready",
            ["pvc"] = new JsonObject { ["name"] = name + "-golden", ["namespace"] = Ns },
            ["virtualSize"] = 134217728,
            ["size"] = "128Mi",
            ["progress"] = "100%",
        },
    };

    private static async Task<RunningOperator> OperatorAsync(FakeKubeApiServer server)
    {
        var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetesClient>(client);
        builder.Services.AddImprintOperator(o => o.LeaderElection = false)
            .AddImprintControllers(new ImprintOptions { LeaderElection = false });
        var host = builder.Build();
        await host.StartAsync();
        return new RunningOperator(host, client, server);
    }

    private sealed class RunningOperator(IHost host, KubernetesClient client, FakeKubeApiServer server) : IAsyncDisposable
    {
        public SharedInformerFactory Informers => host.Services.GetRequiredService<SharedInformerFactory>();

        private ControllerManager Manager => host.Services.GetRequiredService<ControllerManager>();

        public long Reconciles(string controller) => Runners.Single(r => r.Name == controller).Reconciled;

        private IEnumerable<(string Name, long Reconciled, bool IsIdle)> Runners =>
            Manager.Runners.Select(r => r switch
            {
                EntityControllerRunner<V1Alpha1GoldenImage> g => (g.Name, g.Reconciled, g.IsIdle),
                EntityControllerRunner<V1Alpha1VmClone> c => (c.Name, c.Reconciled, c.IsIdle),
                EntityControllerRunner<V1Alpha1CloneTemplate> t => (t.Name, t.Reconciled, t.IsIdle),
                EntityControllerRunner<k8s.Models.V1PersistentVolumeClaim> p => (p.Name, p.Reconciled, p.IsIdle),
                _ => throw new InvalidOperationException($"unexpected runner {r.Name}"),
            });

        /// <summary>Synced, every GoldenImage reconciled, then no request and nothing queued across half a second.</summary>
        public async Task SettledAsync(int images)
        {
            await Eventually.TrueAsync(() => Manager.IsSynced, "operator synced", 30);
            await Eventually.TrueAsync(() => Reconciles("goldenimage") >= images, "every GoldenImage reconciled", 30);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var seen = -1;
            while (true)
            {
                var now = server.Requests.Count;
                if (now == seen && Runners.All(r => r.IsIdle))
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < deadline, "the operator kept making requests");
                seen = now;
                await Task.Delay(500);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
            host.Dispose();
            client.Dispose();
        }
    }
}
