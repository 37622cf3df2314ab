using Imprint.Operator.Runtime.Informers;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>How one controller runs: what it watches, how many workers, backoff and shutdown bounds.</summary>
public sealed record ControllerOptions
{
    /// <summary>Names the controller in logs, metrics and spans; defaults to the kind in lower case.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace to watch; null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public int Workers { get; init; } = 2;

    /// <summary>
    /// Reconcile on every change, not only on a new generation: for a controller of a built-in kind whose metadata and
    /// status carry the news (a claim's selected-node annotation, its Bound phase), which the generation does not track.
    /// </summary>
    public bool ReconcileEveryChange { get; init; }

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long in-flight reconciles may run after shutdown starts before their token is cancelled.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Bound of one finalizer run plus the patch that removes it; independent of shutdown.</summary>
    public TimeSpan FinalizerTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public InformerOptions Watch { get; init; } = new();
}
