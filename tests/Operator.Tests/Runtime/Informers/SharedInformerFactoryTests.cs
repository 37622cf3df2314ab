using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Watching;
using Imprint.Operator.Tests.Runtime.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Informers;

public sealed class SharedInformerFactoryTests
{
    [Fact]
    public void Every_caller_of_a_kind_gets_the_same_informer_and_a_caller_naming_no_selector_shares_the_first_selection()
    {
        using var factory = new SharedInformerFactory(new InMemoryKubernetesClient(), new EntityWatcherOptions(), NullLoggerFactory.Instance);

        var first = factory.For<TestJob>("app=imprint");
        var second = factory.For<TestJob>("app=imprint");
        var third = factory.For<TestJob>();

        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal("app=imprint", third.LabelSelector);
        Assert.Same(first, factory.Find<TestJob>());
        Assert.Null(factory.Find<TestPod>());
        Assert.Single(factory.Informers);
    }

    [Fact]
    public void Asking_for_a_kind_with_another_selector_is_refused_since_one_watch_cannot_serve_both()
    {
        using var factory = new SharedInformerFactory(new InMemoryKubernetesClient(), new EntityWatcherOptions(), NullLoggerFactory.Instance);
        factory.For<TestJob>("app=imprint");

        var error = Assert.Throws<InvalidOperationException>(() => factory.For<TestJob>("app=other"));

        Assert.Contains("app=imprint", error.Message, StringComparison.Ordinal);
        Assert.Contains("app=other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Informers_made_before_and_after_start_all_run_once_and_stop_together()
    {
        var client = new InMemoryKubernetesClient();
        await client.CreateAsync(TestWidget.Named("w"));
        using var factory = new SharedInformerFactory(client, new EntityWatcherOptions(), NullLoggerFactory.Instance);
        var widgets = factory.For<TestWidget>();

        factory.Start();
        factory.Start();
        var jobs = factory.For<TestJob>();
        await widgets.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await jobs.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await factory.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(factory.HasSynced);
        Assert.Equal(1, widgets.Relists);
        Assert.Equal(1, jobs.Relists);
        Assert.NotNull(widgets.Get("default", "w"));
    }
}
