using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Events;

/// <summary>The recorder over the real client against the fake API server, which validates Events as kube-apiserver does.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private FakeApiConnection _api = null!;

    public async Task InitializeAsync() => _api = await FakeApiConnection.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static EventRecorder NewRecorder(KubernetesClient client) =>
        new(client, new EventRecorderOptions { ReportingInstance = "operator-0_ab12" }, NullLogger<EventRecorder>.Instance);

    private const string EventsPath = "/apis/events.k8s.io/v1/namespaces/default/events";

    [Fact]
    public async Task Repeated_event_increments_the_series_count_of_one_Event()
    {
        var client = _api.Client;
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
        var client = _api.Client;
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
    public async Task Different_events_about_one_object_in_the_same_clock_tick_are_all_written()
    {
        // A stopped clock (or a coarse one): every event of the object carries the same time, which used to give the
        // second one the first one's name, refused by the server as AlreadyExists and lost.
        var client = _api.Client;
        var widget = await client.CreateAsync(TestWidget.Named("a"));
        await using var recorder = new EventRecorder(client, new EventRecorderOptions { ReportingInstance = "operator-0_ab12" }, NullLogger<EventRecorder>.Instance, new FakeClock());

        recorder.Record(widget, EventType.Warning, "TemplateMissing", "waiting");
        recorder.Record(widget, EventType.Normal, "Populating", "started");
        recorder.Record(widget, EventType.Normal, "Populated", "done");
        await recorder.FlushAsync();

        var events = (await client.ListAsync<Eventsv1Event>("default")).Items;
        Assert.Equal(["Populated", "Populating", "TemplateMissing"], events.Select(e => e.Reason).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Api_failures_are_swallowed_and_recording_never_throws()
    {
        var client = _api.Client;
        _api.Server.FailNext(r => r.Method == "POST" && r.Path == EventsPath, 500);
        await using var recorder = NewRecorder(client);

        recorder.Record(TestWidget.Named("a"), EventType.Warning, "Oops", "server is down");
        await recorder.FlushAsync();
        Assert.Empty((await client.ListAsync<Eventsv1Event>("default")).Items);

        // A create is not re-sent after a 5xx (it may have happened); the next event goes through.
        recorder.Record(TestWidget.Named("fine"), EventType.Normal, "Ok", "fine");
        await recorder.FlushAsync();

        var ev = Assert.Single((await client.ListAsync<Eventsv1Event>("default")).Items, e => e.Reason == "Ok");
        Assert.Equal("fine", ev.Note);
        Assert.Equal([500, 201], _api.Server.Requests.Where(r => r.Method == "POST" && r.Path == EventsPath).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Long_notes_are_cut_to_the_api_limit()
    {
        var client = _api.Client;
        await using var recorder = NewRecorder(client);

        recorder.Record(TestWidget.Named("a"), EventType.Normal, "Big", new string('é', 3000));
        await recorder.FlushAsync();

        var ev = Assert.Single((await client.ListAsync<Eventsv1Event>("default")).Items);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(ev.Note!), 900, 1024);
        Assert.EndsWith("...", ev.Note, StringComparison.Ordinal);

        // The server refuses notes over 1 kB (422), so the cut is what let the Event be written at all.
        Assert.Equal([201], _api.Server.Requests.Where(r => r.Method == "POST" && r.Path == EventsPath).Select(r => r.StatusCode));
    }
}
