using Microsoft.Extensions.Time.Testing;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells a test which timers the code under test has armed. Background
/// loops arm their timers on their own threads; a test that advances time before the timer exists would skip past it,
/// so it first waits (event-driven, bounded) for the timer, then advances exactly to its due time.
/// </summary>
public sealed class FakeClock : TimeProvider
{
    private readonly FakeTimeProvider _fake = new();
    private readonly Lock _lock = new();
    private readonly List<ArmedTimer> _armed = [];
    private readonly SemaphoreSlim _changed = new(0);

    public override long TimestampFrequency => _fake.TimestampFrequency;

    /// <summary>Timers armed and neither fired (once) nor disposed: work still waiting for the clock.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count(t => t.IsPending);
            }
        }
    }

    /// <summary>Timers that have fired at least once.</summary>
    public int FiredTimers
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count(t => t.Fired);
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    /// <summary>Moves time on; timers that fall due fire on the calling thread before this returns.</summary>
    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>
    /// Waits until a pending timer due after <paramref name="due"/> has been armed (and not yet claimed by an earlier
    /// call), claims it and returns it. Fails the test after <paramref name="seconds"/>.
    /// </summary>
    public async Task<ArmedTimer> ArmedAsync(TimeSpan due, double seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            lock (_lock)
            {
                if (_armed.FirstOrDefault(t => t.IsPending && !t.Claimed && t.Due == due) is { } timer)
                {
                    timer.Claimed = true;
                    return timer;
                }
            }

            try
            {
                await _changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No timer due after {due} was armed within {seconds} s; armed: {Describe()}");
            }
        }
    }

    /// <summary>The due times of every timer armed so far, in order, for assertions about backoff sequences.</summary>
    public IReadOnlyList<TimeSpan> ArmedDueTimes()
    {
        lock (_lock)
        {
            return [.. _armed.Select(t => t.Due)];
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new ArmedTimer(dueTime, period);
        armed.Inner = _fake.CreateTimer(
            s =>
            {
                armed.Fired = true;
                callback(s);
            },
            state,
            dueTime,
            period);
        armed.OnChanged = () => _changed.Release();
        lock (_lock)
        {
            _armed.Add(armed);
        }

        _changed.Release();
        return armed;
    }

    private string Describe()
    {
        lock (_lock)
        {
            return string.Join(", ", _armed.Select(t => $"{t.Due}{(t.IsPending ? string.Empty : " (done)")}"));
        }
    }
}
