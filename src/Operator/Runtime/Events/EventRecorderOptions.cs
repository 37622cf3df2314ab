namespace Imprint.Operator.Runtime.Events;

/// <summary>Who reports events and how repeats are folded into a series.</summary>
public sealed record EventRecorderOptions
{
    public string ReportingController { get; init; } = "imprint.dev/operator";

    /// <summary>This replica (pod name).</summary>
    public required string ReportingInstance { get; init; }

    /// <summary>A repeat within this window since the last occurrence bumps the existing Event's series (client-go: 6 min).</summary>
    public TimeSpan SeriesWindow { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>Events waiting to be written; beyond this new ones are dropped (and logged) rather than block a reconcile.</summary>
    public int Capacity { get; init; } = 1000;
}
