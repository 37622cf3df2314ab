namespace Imprint.Agent.Importing;

/// <summary>How often a download is retried after a connection error or a 5xx, with exponential backoff.</summary>
public sealed record RetryPolicy
{
    /// <summary>Tries in a row without progress before giving up (a try that delivered bytes resets the count).</summary>
    public int Attempts { get; init; } = 6;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A read that delivers nothing for this long counts as a dropped connection.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan DelayFor(int failure) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks * (1L << Math.Min(failure - 1, 20))));
}
