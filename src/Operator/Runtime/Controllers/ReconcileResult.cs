namespace Imprint.Operator.Runtime.Controllers;

/// <summary>The outcome of a reconcile: done, or look again after <see cref="RequeueAfter"/>.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Success() => new();

    public static ReconcileResult Requeue(TimeSpan after) => new(after);
}
