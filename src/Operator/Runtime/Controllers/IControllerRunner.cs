namespace Imprint.Operator.Runtime.Controllers;

/// <summary>One running controller as the manager sees it.</summary>
public interface IControllerRunner
{
    string Name { get; }

    /// <summary>True once the primary watch and every owned watch have listed once.</summary>
    bool IsSynced { get; }

    /// <summary>Watches and reconciles until <paramref name="stoppingToken"/> fires, then drains in-flight work.</summary>
    Task RunAsync(CancellationToken stoppingToken);
}
