using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Imprint.Operator.Runtime.Metrics;

/// <summary>
/// Every instrument of the operator, on the "Imprint.Operator" meter: the controller runtime's (reconciles, queue,
/// watch restarts) and the product's (clone and golden image durations, bytes copied, failures, fallbacks). One
/// instance per process (tests make their own, and tell their measurements apart by <see cref="Meter"/> identity).
/// Prometheus names follow from these: <c>imprint.clone.duration</c> in seconds is scraped as
/// <c>imprint_clone_duration_seconds</c>, counters gain <c>_total</c>.
/// </summary>
public sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "Imprint.Operator";

    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _reconcileErrors;
    private readonly Histogram<double> _reconcileDuration;
    private readonly UpDownCounter<long> _queueDepth;
    private readonly Histogram<double> _queueLatency;
    private readonly Counter<long> _queueRetries;
    private readonly Counter<long> _watchRestarts;
    private readonly Histogram<double> _cloneDuration;
    private readonly Histogram<double> _goldenDuration;
    private readonly Counter<long> _bytesCopied;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _fallbacks;

    public OperatorMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _reconciles = Meter.CreateCounter<long>("imprint.operator.reconciles", "{reconcile}", "Reconciles run, by controller and result.");
        _reconcileErrors = Meter.CreateCounter<long>("imprint.operator.reconcile.errors", "{error}", "Reconciles that threw.");
        _reconcileDuration = Meter.CreateHistogram<double>("imprint.operator.reconcile.duration", "s", "Time spent in one reconcile.");
        _queueDepth = Meter.CreateUpDownCounter<long>("imprint.operator.queue.depth", "{key}", "Keys waiting for a worker.");
        _queueLatency = Meter.CreateHistogram<double>("imprint.operator.queue.latency", "s", "Time a key waited in the queue before a worker took it.");
        _queueRetries = Meter.CreateCounter<long>("imprint.operator.queue.retries", "{retry}", "Keys re-queued with backoff after a failure.");
        _watchRestarts = Meter.CreateCounter<long>("imprint.operator.watch.restarts", "{restart}", "Watch connections re-opened, by kind and reason.");
        _cloneDuration = Meter.CreateHistogram<double>("imprint.clone.duration", "s", "Time from a VmClone's start to Ready, by strategy.");
        _goldenDuration = Meter.CreateHistogram<double>("imprint.goldenimage.duration", "s", "Time from a GoldenImage's start to Ready.");
        _bytesCopied = Meter.CreateCounter<long>("imprint.clone.bytes_copied", "By", "Bytes the agent wrote while copying golden disks, by strategy.");
        _failures = Meter.CreateCounter<long>("imprint.failures", "{failure}", "GoldenImages and VmClones that ended Failed, by kind and reason.");
        _fallbacks = Meter.CreateCounter<long>("imprint.clone.fallbacks", "{fallback}", "Auto clones that fell back to a host-assisted copy, by the strategy that did not provision.");
    }

    public Meter Meter { get; }

    public void ReconcileFinished(string controller, string result, TimeSpan duration)
    {
        var tags = new TagList { { "controller", controller }, { "result", result } };
        _reconciles.Add(1, tags);
        _reconcileDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("controller", controller));
        if (result == ReconcileResults.Error)
        {
            _reconcileErrors.Add(1, new KeyValuePair<string, object?>("controller", controller));
        }
    }

    public void QueueDepthChanged(string controller, long delta) =>
        _queueDepth.Add(delta, new KeyValuePair<string, object?>("controller", controller));

    public void QueueWaited(string controller, TimeSpan latency) =>
        _queueLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("controller", controller));

    public void QueueRetried(string controller) =>
        _queueRetries.Add(1, new KeyValuePair<string, object?>("controller", controller));

    public void WatchRestarted(string kind, string reason) =>
        _watchRestarts.Add(1, new TagList { { "kind", kind }, { "reason", reason } });

    public void CloneReady(string strategy, TimeSpan duration) =>
        _cloneDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("strategy", strategy));

    public void GoldenImageReady(TimeSpan duration) => _goldenDuration.Record(duration.TotalSeconds);

    public void BytesCopied(string strategy, long bytes) =>
        _bytesCopied.Add(bytes, new KeyValuePair<string, object?>("strategy", strategy));

    public void Failed(string kind, string reason) => _failures.Add(1, new TagList { { "kind", kind }, { "reason", reason } });

    public void FellBack(string reason) => _fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => Meter.Dispose();
}
