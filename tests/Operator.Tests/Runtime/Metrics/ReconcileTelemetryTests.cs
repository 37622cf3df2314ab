using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;

namespace Imprint.Operator.Tests.Runtime.Metrics;

public sealed class ReconcileTelemetryTests
{
    [Fact]
    public async Task Each_reconcile_records_a_span_and_the_reconcile_and_queue_metrics()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, harness.Metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        meterListener.Start();

        var spans = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OperatorTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if ((string?)a.GetTagItem("controller") == harness.Name)
                {
                    spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);

        harness.Controller.OnReconcile = (w, _) => w.Metadata.Name == "bad" ? throw new InvalidOperationException("bad widget") : ReconcileResult.Success();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("good", size: 1));
        await harness.Client.CreateAsync(TestWidget.Named("bad"));
        await Eventually.TrueAsync(() => spans.Any(s => (string?)s.GetTagItem("key") == "default/good") && spans.Any(s => s.Status == ActivityStatusCode.Error), "spans");

        var good = spans.First(s => (string?)s.GetTagItem("key") == "default/good");
        Assert.Equal(1L, good.GetTagItem("generation"));
        Assert.Equal(ReconcileResults.Success, good.GetTagItem("result"));
        var bad = spans.First(s => (string?)s.GetTagItem("key") == "default/bad");
        Assert.Equal(ActivityStatusCode.Error, bad.Status);
        Assert.Equal(ReconcileResults.Error, bad.GetTagItem("result"));

        Assert.Contains(measurements, m => m.Instrument == "imprint.operator.reconciles" && Equals(m.Tags["result"], "success") && Equals(m.Tags["controller"], harness.Name));
        Assert.Contains(measurements, m => m.Instrument == "imprint.operator.reconcile.errors" && m.Value == 1);
        Assert.Contains(measurements, m => m.Instrument == "imprint.operator.reconcile.duration" && m.Value >= 0);
        Assert.Contains(measurements, m => m.Instrument == "imprint.operator.queue.latency");
        Assert.Contains(measurements, m => m.Instrument == "imprint.operator.queue.retries");
        var depth = measurements.Where(m => m.Instrument == "imprint.operator.queue.depth").Sum(m => m.Value);
        Assert.InRange(depth, 0, 1);
    }

    [Fact]
    public async Task Watch_restarts_are_counted_by_reason()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        var restarts = new ConcurrentQueue<string>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, harness.Metrics.Meter) && instrument.Name == "imprint.operator.watch.restarts")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meterListener.SetMeasurementEventCallback<long>((_, _, tags, _) => restarts.Enqueue((string)ToDictionary(tags)["reason"]!));
        meterListener.Start();
        await harness.StartAsync();

        // An event on the open watch first: the stream is then certainly established when the server ends it.
        await harness.Client.CreateAsync(TestWidget.Named("first"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile over the watch");

        harness.Server.DropWatchConnections();
        await Eventually.TrueAsync(() => restarts.Contains("closed"), "closed restart");

        // The watch stays down (reconnects refused) while the server forgets the history it would resume from.
        var blocked = true;
        harness.Server.FailNext(r => Volatile.Read(ref blocked) && r.Query["watch"] == "true", 503, count: int.MaxValue);
        harness.Server.DropWatchConnections();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        harness.Server.CompactHistory();
        Volatile.Write(ref blocked, false);
        await Eventually.TrueAsync(() => restarts.Contains("gone"), "gone restart");
        await Eventually.TrueAsync(() => harness.Runner.Informer.Relists == 2, "relist after 410");
        Assert.Contains("error", restarts);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
