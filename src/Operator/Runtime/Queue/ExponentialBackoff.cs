using System.Collections.Concurrent;

namespace Imprint.Operator.Runtime.Queue;

/// <summary>
/// Per-key exponential backoff (client-go's ItemExponentialFailureRateLimiter): the n-th consecutive failure of a key
/// waits <c>baseDelay * 2^(n-1)</c>, capped at <c>maxDelay</c>; <see cref="Forget"/> after a success starts over.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public TimeSpan BaseDelay { get; } = baseDelay;

    public TimeSpan MaxDelay { get; } = maxDelay;

    /// <summary>Counts one more failure of the key and returns how long to wait before retrying it.</summary>
    public TimeSpan NextDelay(string key)
    {
        var failures = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
        return DelayFor(failures);
    }

    public int Failures(string key) => _failures.TryGetValue(key, out var n) ? n : 0;

    public void Forget(string key) => _failures.TryRemove(key, out _);

    private TimeSpan DelayFor(int failures)
    {
        // 2^62 ticks overflows long; anything past ~40 doublings is far beyond any sane max anyway.
        var exponent = Math.Min(failures - 1, 40);
        var ticks = BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
