namespace Imprint.Operator.Kubernetes.Models;

/// <summary>One condition of a Job (Complete, Failed, ...).</summary>
public sealed class V1JobCondition
{
    public string Type { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }
}
