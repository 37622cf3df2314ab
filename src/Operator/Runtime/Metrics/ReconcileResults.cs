namespace Imprint.Operator.Runtime.Metrics;

/// <summary>Values of the <c>result</c> tag on reconcile metrics and spans.</summary>
public static class ReconcileResults
{
    public const string Success = "success";

    public const string Requeue = "requeue";

    public const string Error = "error";

    /// <summary>A write lost an optimistic-concurrency race (409); retried with backoff, not counted as an error.</summary>
    public const string Conflict = "conflict";

    /// <summary>Cut short by shutdown after the drain timeout; not retried, not counted as an error.</summary>
    public const string Cancelled = "cancelled";

    public const string Deleted = "deleted";

    public const string Finalized = "finalized";

    public const string Skipped = "skipped";
}
