namespace Imprint.Operator.Controllers.Phases;

/// <summary>
/// What one phase concluded: done (the next phase runs in the same pass), wait (stop here and look again), or
/// fail (retryable failures start a new attempt from the golden disk; permanent ones end in Failed).
/// </summary>
public sealed record PhaseOutcome
{
    private PhaseOutcome(PhaseOutcomeKind kind, string? reason, string? message, TimeSpan? requeueAfter, bool retryable)
    {
        Kind = kind;
        Reason = reason;
        Message = message;
        RequeueAfter = requeueAfter;
        Retryable = retryable;
    }

    public PhaseOutcomeKind Kind { get; }

    /// <summary>CamelCase reason for conditions and events.</summary>
    public string? Reason { get; }

    public string? Message { get; }

    public TimeSpan? RequeueAfter { get; }

    public bool Retryable { get; }

    public static PhaseOutcome Done { get; } = new(PhaseOutcomeKind.Done, null, null, null, false);

    /// <summary>Not finished; the owner is reconciled again after <paramref name="after"/> or when a watched object changes.</summary>
    public static PhaseOutcome Wait(string reason, string message, TimeSpan? after = null) =>
        new(PhaseOutcomeKind.Wait, reason, message, after, false);

    /// <summary>A step failed in a way a fresh attempt may fix (agent crash, node lost, deadline).</summary>
    public static PhaseOutcome Retry(string reason, string message) => new(PhaseOutcomeKind.Fail, reason, message, null, true);

    /// <summary>A failure no retry can fix (target too small, unsupported guest); the object ends Failed.</summary>
    public static PhaseOutcome Fail(string reason, string message) => new(PhaseOutcomeKind.Fail, reason, message, null, false);
}
