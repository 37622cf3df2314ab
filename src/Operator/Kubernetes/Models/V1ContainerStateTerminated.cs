namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A container that has exited.</summary>
public sealed class V1ContainerStateTerminated
{
    public int ExitCode { get; set; }

    public int? Signal { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
