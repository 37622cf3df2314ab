using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Tests.Runtime.Support;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Events;

public sealed class EventRecorderTests
{
    private static EventRecorder NewRecorder(InMemoryKubernetesClient client) =>
        new(client, new EventRecorderOptions { ReportingInstance = "operator-0_ab12" }, NullLogger<EventRecorder>.Instance);

    [Fact]
    public async Task Repeated_event_increments_the_series_count_of_one_Event()
    {
        var client = new InMemoryKubernetesClient();
        var widget = await client.CreateAsync(TestWidget.Named("a", ns: "team-a"));
        await using var recorder = NewRecorder(client);

        recorder.Record(widget, EventType.Warning, "JobFailed", "agent exited 3");
        recorder.Record(widget, EventType.Warning, "JobFailed", "agent exited 3");
        recorder.Record(widget, EventType.Warning, "JobFailed", "agent exited 3");
        await recorder.FlushAsync();

        var events = (await client.ListAsync<Eventsv1Event>("team-a")).Items;
        var ev = Assert.Single(events);
        Assert.Equal(3, ev.Series!.Count);
        Assert.NotEqual(default, ev.Series.LastObservedTime);
        Assert.Equal(("JobFailed", "agent exited 3", "Warning", "JobFailed"), (ev.Reason, ev.Note, ev.Type, ev.Action));
        Assert.Equal(("imprint.dev/operator", "operator-0_ab12"), (ev.ReportingController, ev.ReportingInstance));
        Assert.Equal(("Widget", "a", "team-a", widget.Metadata.Uid), (ev.Regarding!.Kind, ev.Regarding.Name, ev.Regarding.NamespaceProperty, ev.Regarding.Uid));
        Assert.NotNull(ev.EventTime);
    }

    [Fact]
    public async Task Different_reason_note_or_object_creates_a_separate_Event()
    {
        var client = new InMemoryKubernetesClient();
        var a = await client.CreateAsync(TestWidget.Named("a"));
        var b = await client.CreateAsync(TestWidget.Named("b"));
        await using var recorder = NewRecorder(client);

        recorder.Record(a, EventType.Normal, "Cloned", "done in 3 s");
        recorder.Record(a, EventType.Normal, "Cloned", "done in 4 s");
        recorder.Record(a, EventType.Normal, "Sealed", "done in 3 s");
        recorder.Record(b, EventType.Normal, "Cloned", "done in 3 s");
        await recorder.FlushAsync();

        var events = (await client.ListAsync<Eventsv1Event>("default")).Items;
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Null(e.Series));
    }

    [Fact]
    public async Task Api_failures_are_swallowed_and_recording_never_throws()
    {
        var client = new InMemoryKubernetesClient { FailCreates = true };
        await using var recorder = NewRecorder(client);

        recorder.Record(TestWidget.Named("a"), EventType.Warning, "Oops", "server is down");
        await recorder.FlushAsync();
        Assert.Empty((await client.ListAsync<Eventsv1Event>("default")).Items);

        client.FailCreates = false;
        recorder.Record(TestWidget.Named("fine"), EventType.Normal, "Ok", "fine");
        await recorder.FlushAsync();

        var ev = Assert.Single((await client.ListAsync<Eventsv1Event>("default")).Items, e => e.Reason == "Ok");
        Assert.Equal("fine", ev.Note);
    }

    [Fact]
    public async Task Long_notes_are_cut_to_the_api_limit()
    {
        var client = new InMemoryKubernetesClient();
        await using var recorder = NewRecorder(client);

        recorder.Record(TestWidget.Named("a"), EventType.Normal, "Big", new string('é', 3000));
        await recorder.FlushAsync();

        var ev = Assert.Single((await client.ListAsync<Eventsv1Event>("default")).Items);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(ev.Note!), 900, 1024);
        Assert.EndsWith("...", ev.Note, StringComparison.Ordinal);
    }
}
