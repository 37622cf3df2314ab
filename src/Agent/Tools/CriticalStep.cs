namespace Imprint.Agent.Tools;

/// <summary>
/// A step that must not be cut in the middle by our own cancellation (resize2fs, a <c>debugfs -w</c> batch): it sees a
/// token that fires only <see cref="Grace"/> after the command was cancelled, so on SIGTERM it normally finishes and
/// the command stops right after it (exit 130). Kubernetes sends SIGKILL 30 s after SIGTERM by default; the grace
/// leaves time to roll the step back when it does not finish in time.
/// </summary>
public static class CriticalStep
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource();
        using var registration = cancellationToken.Register(() => deadline.CancelAfter(Grace));
        if (cancellationToken.IsCancellationRequested)
        {
            // Not started yet: nothing to finish.
            cancellationToken.ThrowIfCancellationRequested();
        }

        return await step(deadline.Token).ConfigureAwait(false);
    }
}
