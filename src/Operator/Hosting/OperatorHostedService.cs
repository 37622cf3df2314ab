using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.LeaderElection;
using Microsoft.Extensions.Hosting;

namespace Imprint.Operator.Hosting;

/// <summary>
/// Runs the shared informers for the whole process (a standby keeps its caches warm) and the controllers (under leader
/// election when enabled). Stopping cancels the run, which drains the queues and, once the controllers are done,
/// releases the lease; then the watches stop.
/// </summary>
public sealed class OperatorHostedService(ControllerManager manager, SharedInformerFactory informers, LeaderElector? elector = null) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        informers.Start();
        _run = elector is null
            ? Task.Run(() => manager.RunAsync(_stopping.Token), CancellationToken.None)
            : Task.Run(() => elector.RunAsync(manager.RunAsync, () => { }, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await informers.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();
}
