using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Controllers;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>A controller that records each call and answers with <see cref="OnReconcile"/>.</summary>
public sealed class RecordingController : IEntityController<TestWidget>
{
    public ConcurrentQueue<(string Name, long Generation, int Size)> Reconciles { get; } = new();

    public ConcurrentQueue<string> Deleted { get; } = new();

    public Func<TestWidget, int, ReconcileResult> OnReconcile { get; set; } = (_, _) => ReconcileResult.Success();

    /// <summary>Awaited before <see cref="OnReconcile"/> (to hold a reconcile in flight without blocking a thread).</summary>
    public Func<Task> BeforeReconcile { get; set; } = () => Task.CompletedTask;

    public async Task<ReconcileResult> ReconcileAsync(TestWidget entity, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await BeforeReconcile();
        Reconciles.Enqueue((entity.Metadata.Name!, entity.Metadata.Generation ?? 0, entity.Spec.Size));
        return OnReconcile(entity, Reconciles.Count);
    }

    public Task<ReconcileResult> DeletedAsync(TestWidget entity, CancellationToken cancellationToken)
    {
        Deleted.Enqueue(entity.Metadata.Name!);
        return Task.FromResult(ReconcileResult.Success());
    }
}
