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

namespace Imprint.Operator.Tests.Runtime.Hosting;

public sealed class OperatorBuilderTests
{
    [Fact]
    public void Finalizer_names_must_be_group_slash_purpose_and_follow_their_controller()
    {
        var builder = new ServiceCollection().AddImprintOperator();

        var early = Assert.Throws<InvalidOperationException>(() => builder.AddFinalizer<TestWidget, RecordingFinalizer>("test.imprint.dev/cleanup"));
        Assert.Contains("Add the controller for Widget", early.Message, StringComparison.Ordinal);

        builder.AddController<TestWidget, RecordingController>();
        var bad = Assert.Throws<ArgumentException>(() => builder.AddFinalizer<TestWidget, RecordingFinalizer>("cleanup"));
        Assert.Contains("<group>/<purpose>", bad.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => builder.AddController<TestWidget, RecordingController>());
    }

    [Fact]
    public async Task Without_leader_election_controllers_run_at_once_and_readiness_follows_sync()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        server.Put(WidgetDefinition.Crd());
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await client.CreateAsync(TestWidget.Named("a"));
        var services = new ServiceCollection();
        services.AddLogging(l => l.ClearProviders());
        services.AddSingleton<IKubernetesClient>(client);
        services.AddImprintOperator(o => o.LeaderElection = false).AddController<TestWidget, RecordingController>();
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Single();
        var status = provider.GetRequiredService<OperatorStatus>();

        Assert.Null(provider.GetService<LeaderElector>());
        Assert.False(status.IsReady);
        await hosted.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => status.IsReady, "synced");
        Assert.True(status.IsLeading);
        Assert.Equal("running, synced", status.Describe());
        await hosted.StopAsync(CancellationToken.None);
        Assert.False(provider.GetRequiredService<ControllerManager>().IsRunning);
        Assert.DoesNotContain(server.Requests, r => r.Path.Contains("/leases", StringComparison.Ordinal));
        Assert.Null(await client.GetAsync<V1Lease>("imprint-operator-leader", "default"));
    }
}
