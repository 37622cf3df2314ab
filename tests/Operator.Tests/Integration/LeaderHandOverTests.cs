using System.Diagnostics;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.LeaderElection;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Imprint.Operator.Tests.Integration;

/// <summary>Two operator hosts, each with its own real client, electing a leader on a Lease in the fake API server.</summary>
[Collection(TimingSensitive.Name)]
public sealed class LeaderHandOverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task When_the_leader_stops_it_releases_the_lease_and_the_standby_leads_before_the_lease_would_have_expired()
    {
        // A lease far longer than the test's patience: a standby that waited for expiry instead of seeing the release
        // could not lead within the 20 s the test waits.
        var leaseDuration = TimeSpan.FromSeconds(60);
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Put(WidgetDefinition.Crd());
        using var first = Replica(server, "replica-1", leaseDuration: leaseDuration);
        using var second = Replica(server, "replica-2", leaseDuration: leaseDuration);
        await first.Host.StartAsync();
        await Eventually.TrueAsync(() => first.Elector.IsLeader, "first replica leads", 20);
        await second.Host.StartAsync();
        await Eventually.TrueAsync(() => second.Elector.HasObservedLease, "second replica is standing by", 20);
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await client.CreateAsync(TestWidget.Named("before"));
        await Eventually.TrueAsync(() => first.Controller.Reconciles.Any(r => r.Name == "before"), "leader reconciles", 20);
        Assert.False(second.Elector.IsLeader);
        Assert.Empty(second.Controller.Reconciles);

        var stopped = Stopwatch.StartNew();
        await first.Host.StopAsync();
        var stopTook = stopped.Elapsed;
        var released = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        var handOver = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => second.Elector.IsLeader, "second replica leads", 20);
        var tookOver = handOver.Elapsed;
        await client.CreateAsync(TestWidget.Named("after"));
        await Eventually.TrueAsync(() => second.Controller.Reconciles.Any(r => r.Name == "after"), "new leader reconciles", 20);
        await second.Host.StopAsync();
        output.WriteLine($"graceful stop {stopTook.TotalMilliseconds:0} ms, then standby leading after {tookOver.TotalMilliseconds:0} ms");

        Assert.True(string.IsNullOrEmpty(released!.Spec!.HolderIdentity), $"lease still held by {released.Spec.HolderIdentity} after a graceful stop");
        Assert.True(tookOver < leaseDuration, $"hand-over took {tookOver.TotalMilliseconds:0} ms (stop {stopTook.TotalMilliseconds:0} ms)");
        Assert.DoesNotContain(first.Controller.Reconciles, r => r.Name == "after");
        var final = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.True(string.IsNullOrEmpty(final!.Spec!.HolderIdentity));
        Assert.Equal(1, final.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task When_the_leader_vanishes_without_releasing_the_standby_leads_after_the_lease_expires()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Put(WidgetDefinition.Crd());
        using var first = Replica(server, "replica-1", releaseOnCancel: false);
        using var second = Replica(server, "replica-2");
        await first.Host.StartAsync();
        await Eventually.TrueAsync(() => first.Elector.IsLeader, "first replica leads", 20);
        await second.Host.StartAsync();
        await Eventually.TrueAsync(() => second.Elector.HasObservedLease, "second replica is standing by", 20);

        await first.Host.StopAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var abandoned = (await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system"))!.Spec!;
        var handOver = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => second.Elector.IsLeader, "second replica leads", 20);
        var tookOver = handOver.Elapsed;
        var lease = (await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system"))!.Spec!;
        await second.Host.StopAsync();
        output.WriteLine($"standby leading {tookOver.TotalMilliseconds:0} ms after the leader vanished");

        // The holder stays until the lease expires: the lease itself records that the standby acquired it no earlier
        // than a lease duration after the vanished leader's last renewal.
        Assert.Equal("replica-1", abandoned.HolderIdentity);
        Assert.Equal("replica-2", lease.HolderIdentity);
        Assert.True(lease.AcquireTime >= abandoned.RenewTime!.Value + LeaseDuration, $"acquired {lease.AcquireTime:O}, last renewal {abandoned.RenewTime:O}");
    }

    private static ReplicaHost Replica(FakeKubeApiServer server, string identity, bool releaseOnCancel = true, TimeSpan? leaseDuration = null)
    {
        var controller = new RecordingController();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetesClient>(_ => new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() }));
        builder.Services.AddSingleton(controller);
        builder.Services.AddImprintOperator(o =>
            {
                o.LeaseNamespace = "imprint-system";
                o.Identity = identity;
                o.LeaseDuration = leaseDuration ?? LeaseDuration;
                o.RenewDeadline = TimeSpan.FromMilliseconds(800);
                o.RetryPeriod = TimeSpan.FromMilliseconds(200);
            })
            .AddController<TestWidget, ForwardingController>();
        if (!releaseOnCancel)
        {
            // A crash: the lease is left to expire.
            builder.Services.AddSingleton(sp => new LeaderElector(
                OperatorServiceCollectionExtensions.LibraryClient(sp),
                sp.GetRequiredService<OperatorOptions>().ToLeaderElectionOptions() with { ReleaseOnCancel = false },
                sp.GetRequiredService<ILogger<LeaderElector>>()));
        }

        var host = builder.Build();
        return new ReplicaHost(host, host.Services.GetRequiredService<LeaderElector>(), controller);
    }

    private sealed record ReplicaHost(IHost Host, LeaderElector Elector, RecordingController Controller) : IDisposable
    {
        public void Dispose() => Host.Dispose();
    }

    private sealed class ForwardingController(RecordingController inner) : IEntityController<TestWidget>
    {
        public Task<ReconcileResult> ReconcileAsync(TestWidget entity, CancellationToken cancellationToken) => inner.ReconcileAsync(entity, cancellationToken);

        public Task<ReconcileResult> DeletedAsync(TestWidget entity, CancellationToken cancellationToken) => inner.DeletedAsync(entity, cancellationToken);
    }
}
