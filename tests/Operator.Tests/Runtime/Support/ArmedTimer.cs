namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>One timer the code under test armed on the clock.</summary>
public sealed class ArmedTimer(TimeSpan due, TimeSpan period) : ITimer
{
    public TimeSpan Due { get; } = due;

    public TimeSpan Period { get; } = period;

    public bool Fired { get; internal set; }

    public bool Disposed { get; private set; }

    public bool IsPending => !Disposed && (!Fired || Period != Timeout.InfiniteTimeSpan) && Due != Timeout.InfiniteTimeSpan;

    internal bool Claimed { get; set; }

    internal ITimer Inner { get; set; } = null!;

    internal Action OnChanged { get; set; } = () => { };

    public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

    public void Dispose()
    {
        Disposed = true;
        Inner.Dispose();
        OnChanged();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
