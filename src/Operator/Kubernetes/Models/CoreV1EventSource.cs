namespace Imprint.Operator.Kubernetes.Models;

/// <summary>source of a core/v1 Event: the reporting component and host.</summary>
public sealed class CoreV1EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}
