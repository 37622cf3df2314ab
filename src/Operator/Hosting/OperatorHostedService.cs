using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.LeaderElection;
using Microsoft.Extensions.Hosting;

namespace Imprint.Operator.Hosting;

/// <summary>
/// Runs the controllers (under leader election when enabled). Stopping cancels the run, which stops the watches,
/// drains the queues and, once the controllers are done, releases the lease.
/// </summary>
public sealed class OperatorHostedService(ControllerManager manager, LeaderElector? elector = null) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = elector is null
            ? Task.Run(() => manager.RunAsync(_stopping.Token), CancellationToken.None)
            : Task.Run(() => elector.RunAsync(manager.RunAsync, () => { }, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
