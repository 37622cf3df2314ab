using System.Diagnostics.Metrics;
using Imprint.Operator.Runtime.Metrics;

namespace Imprint.Operator.Tests.Runtime.Metrics;

public sealed class OperatorMetricsTests
{
    [Fact]
    public void Clone_durations_bytes_failures_and_fallbacks_are_recorded_with_their_tags()
    {
        using var metrics = new OperatorMetrics();
        var seen = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, ToDictionary(tags))));
        listener.Start();

        metrics.CloneReady("CsiClone", TimeSpan.FromSeconds(12));
        metrics.BytesCopied("Copy", 4096);
        metrics.Failed("VmClone", "TargetTooSmall");
        metrics.FellBack("CsiCloneNotProvisioned");

        Assert.Contains(seen, m => m.Name == "imprint.clone.duration" && m.Value == 12 && (string?)m.Tags["strategy"] == "CsiClone");
        Assert.Contains(seen, m => m.Name == "imprint.clone.bytes_copied" && m.Value == 4096 && (string?)m.Tags["strategy"] == "Copy");
        Assert.Contains(seen, m => m.Name == "imprint.failures" && (string?)m.Tags["kind"] == "VmClone" && (string?)m.Tags["reason"] == "TargetTooSmall");
        Assert.Contains(seen, m => m.Name == "imprint.clone.fallbacks" && m.Value == 1);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
