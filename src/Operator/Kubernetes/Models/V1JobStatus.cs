namespace Imprint.Operator.Kubernetes.Models;

/// <summary>status of a Job.</summary>
public sealed class V1JobStatus
{
    public int? Active { get; set; }

    public int? Succeeded { get; set; }

    public int? Failed { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    public IList<V1JobCondition>? Conditions { get; set; }
}
