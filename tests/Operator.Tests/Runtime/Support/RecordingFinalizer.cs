using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Finalizers;
using Imprint.Operator.Tests.Integration.Support;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>A finalizer that records which objects it finalized and whether its token could still run.</summary>
public sealed class RecordingFinalizer : IEntityFinalizer<TestWidget>
{
    public ConcurrentQueue<(string Name, bool HadFinalizer, bool TokenCancelled)> Runs { get; } = new();

    /// <summary>Cleanup finishes once this completes (waited on the finalizer's own token); complete by default.</summary>
    public Task Proceed { get; set; } = Task.CompletedTask;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task FinalizeAsync(TestWidget entity, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Proceed.WaitAsync(cancellationToken);
        Runs.Enqueue((entity.Metadata.Name!, entity.Metadata.Finalizers?.Contains(FakeClusterHarness.FinalizerName) == true, cancellationToken.IsCancellationRequested));
    }
}
