using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Imprint.Operator.Runtime.Metrics;

/// <summary>
/// The operator's instruments on the "Imprint.Operator" meter. One instance per process (tests make their own, and
/// tell their measurements apart by <see cref="Meter"/> identity).
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

    public void Dispose() => Meter.Dispose();
}
