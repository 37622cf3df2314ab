using System.Net;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.LeaderElection;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Tests.Runtime.Hosting;

public sealed class OperatorHostTests
{
    [Fact]
    public async Task Host_leads_reconciles_reports_ready_and_releases_the_lease_on_shutdown()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Put(WidgetDefinition.Crd());
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var controller = new RecordingController();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetesClient>(client);
        builder.Services.AddSingleton(controller);
        builder.Services.AddImprintOperator(o =>
            {
                o.LeaseNamespace = "imprint-system";
                o.Identity = "replica-1";
                o.LeaseDuration = TimeSpan.FromSeconds(1);
                o.RenewDeadline = TimeSpan.FromMilliseconds(600);
                o.RetryPeriod = TimeSpan.FromMilliseconds(100);
            })
            .AddController<TestWidget, ForwardingController>(c => c.Owns<V1Job>())
            .AddFinalizer<TestWidget, RecordingFinalizer>(FakeClusterHarness.FinalizerName);
        await using var app = builder.Build();
        app.MapOperatorHealth();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        await client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !controller.Reconciles.IsEmpty, "reconcile under the host");
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("leading, synced", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var widget = await client.GetAsync<TestWidget>("a", "default");
        Assert.Contains(FakeClusterHarness.FinalizerName, widget!.Metadata.Finalizers!);
        app.Services.GetRequiredService<IEventRecorder>().Record(widget, EventType.Normal, "Reconciled", "ok");

        await app.StopAsync();

        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.Equal(string.Empty, lease!.Spec!.HolderIdentity);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task Standby_is_ready_without_leading()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Put(WidgetDefinition.Crd());
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await client.CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "imprint-operator-leader", NamespaceProperty = "imprint-system" },
            Spec = new V1LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 60, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow },
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetesClient>(client);
        builder.Services.AddSingleton(new RecordingController());
        builder.Services.AddImprintOperator(o =>
            {
                o.LeaseNamespace = "imprint-system";
                o.RetryPeriod = TimeSpan.FromMilliseconds(100);
            })
            .AddController<TestWidget, ForwardingController>();
        await using var app = builder.Build();
        app.MapOperatorHealth();
        await app.StartAsync();
        var status = app.Services.GetRequiredService<OperatorStatus>();

        await Eventually.TrueAsync(() => status.IsReady, "standby ready");
        Assert.False(status.IsLeading);
        Assert.Contains("standby (leader: other)", status.Describe(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    /// <summary>Resolved per reconcile from a scope, as real controllers are; forwards to the shared recorder.</summary>
    private sealed class ForwardingController(RecordingController inner) : Imprint.Operator.Runtime.Controllers.IEntityController<TestWidget>
    {
        public Task<Imprint.Operator.Runtime.Controllers.ReconcileResult> ReconcileAsync(TestWidget entity, CancellationToken cancellationToken) =>
            inner.ReconcileAsync(entity, cancellationToken);

        public Task<Imprint.Operator.Runtime.Controllers.ReconcileResult> DeletedAsync(TestWidget entity, CancellationToken cancellationToken) =>
            inner.DeletedAsync(entity, cancellationToken);
    }
}
