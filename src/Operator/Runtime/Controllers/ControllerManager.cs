using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>Runs every registered controller together (while this replica leads) and reports whether all have synced.</summary>
public sealed class ControllerManager(IEnumerable<IControllerRunner> runners, ILogger<ControllerManager> logger)
{
    private readonly IReadOnlyList<IControllerRunner> _runners = [.. runners];
    private volatile bool _running;

    public IReadOnlyList<IControllerRunner> Runners => _runners;

    public bool IsRunning => _running;

    /// <summary>True while running and every controller's watches have listed once.</summary>
    public bool IsSynced => _running && _runners.All(r => r.IsSynced);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _running = true;
        try
        {
            logger.LogInformation("Starting {Count} controllers", _runners.Count);
            await Task.WhenAll(_runners.Select(r => r.RunAsync(stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            _running = false;
        }
    }
}
