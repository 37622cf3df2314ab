using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Finalizers;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>A finalizer that records which objects it finalized and whether its token could still run.</summary>
public sealed class RecordingFinalizer : IEntityFinalizer<TestWidget>
{
    public ConcurrentQueue<(string Name, bool HadFinalizer, bool TokenCancelled)> Runs { get; } = new();

    /// <summary>How long cleanup takes (waited on the finalizer's own token).</summary>
    public TimeSpan Delay { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task FinalizeAsync(TestWidget entity, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Delay(Delay, cancellationToken);
        Runs.Enqueue((entity.Metadata.Name!, entity.Metadata.Finalizers?.Contains(ControllerHarness.FinalizerName) == true, cancellationToken.IsCancellationRequested));
    }
}
