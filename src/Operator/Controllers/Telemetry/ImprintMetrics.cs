using System.Diagnostics;
using System.Diagnostics.Metrics;
using Imprint.Operator.Runtime.Metrics;

namespace Imprint.Operator.Controllers.Telemetry;

/// <summary>The product's own instruments, on the operator's meter: clone durations by strategy, bytes copied, failures by reason.</summary>
public sealed class ImprintMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _cloneDuration;
    private readonly Histogram<double> _goldenDuration;
    private readonly Counter<long> _bytesCopied;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _fallbacks;

    public ImprintMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(OperatorMetrics.MeterName) ?? new Meter(OperatorMetrics.MeterName);
        _cloneDuration = _meter.CreateHistogram<double>("imprint.clone.duration", "s", "Time from a VmClone's start to Ready, by strategy.");
        _goldenDuration = _meter.CreateHistogram<double>("imprint.goldenimage.duration", "s", "Time from a GoldenImage's start to Ready.");
        _bytesCopied = _meter.CreateCounter<long>("imprint.clone.bytes_copied", "By", "Bytes the agent wrote while copying golden disks, by strategy.");
        _failures = _meter.CreateCounter<long>("imprint.failures", "{failure}", "GoldenImages and VmClones that ended Failed, by kind and reason.");
        _fallbacks = _meter.CreateCounter<long>("imprint.clone.fallbacks", "{fallback}", "Auto clones that fell back to a host-assisted copy, by the strategy that did not provision.");
    }

    public Meter Meter => _meter;

    public void CloneReady(string strategy, TimeSpan duration) =>
        _cloneDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("strategy", strategy));

    public void GoldenImageReady(TimeSpan duration) => _goldenDuration.Record(duration.TotalSeconds);

    public void BytesCopied(string strategy, long bytes) =>
        _bytesCopied.Add(bytes, new KeyValuePair<string, object?>("strategy", strategy));

    public void Failed(string kind, string reason) => _failures.Add(1, new TagList { { "kind", kind }, { "reason", reason } });

    public void FellBack(string reason) => _fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
