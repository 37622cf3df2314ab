using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Informers;

public sealed class SharedInformerFactoryTests : IAsyncLifetime
{
    private FakeApiConnection _api = null!;

    public async Task InitializeAsync() => _api = await FakeApiConnection.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public void Every_caller_of_a_kind_gets_the_same_informer_and_a_caller_naming_no_selector_shares_the_first_selection()
    {
        using var factory = new SharedInformerFactory(_api.Client, new InformerOptions(), NullLoggerFactory.Instance);

        var first = factory.For<V1Job>("app=imprint");
        var second = factory.For<V1Job>("app=imprint");
        var third = factory.For<V1Job>();

        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal("app=imprint", third.LabelSelector);
        Assert.Same(first, factory.Find<V1Job>());
        Assert.Null(factory.Find<V1Pod>());
        Assert.Single(factory.Informers);
    }

    [Fact]
    public void Asking_for_a_kind_with_another_selector_is_refused_since_one_watch_cannot_serve_both()
    {
        using var factory = new SharedInformerFactory(_api.Client, new InformerOptions(), NullLoggerFactory.Instance);
        factory.For<V1Job>("app=imprint");

        var error = Assert.Throws<InvalidOperationException>(() => factory.For<V1Job>("app=other"));

        Assert.Contains("app=imprint", error.Message, StringComparison.Ordinal);
        Assert.Contains("app=other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Informers_made_before_and_after_start_all_run_once_and_stop_together()
    {
        await _api.Client.CreateAsync(TestWidget.Named("w"));
        using var factory = new SharedInformerFactory(_api.Client, new InformerOptions(), NullLoggerFactory.Instance);
        var widgets = factory.For<TestWidget>();

        factory.Start();
        factory.Start();
        var jobs = factory.For<V1Job>();
        await widgets.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await jobs.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await factory.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(factory.HasSynced);
        Assert.Equal(1, widgets.Relists);
        Assert.Equal(1, jobs.Relists);
        Assert.NotNull(widgets.Get("default", "w"));

        // One list per kind although Start ran twice.
        Assert.Equal(1, _api.Server.Requests.Count(r => r.Method == "GET" && r.Path == "/apis/batch/v1/jobs" && !r.Query.Contains("watch=true", StringComparison.Ordinal)));
    }
}
