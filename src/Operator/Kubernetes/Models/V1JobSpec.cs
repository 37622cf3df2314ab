namespace Imprint.Operator.Kubernetes.Models;

/// <summary>spec of a Job.</summary>
public sealed class V1JobSpec
{
    public int? BackoffLimit { get; set; }

    public long? ActiveDeadlineSeconds { get; set; }

    public int? TtlSecondsAfterFinished { get; set; }

    public int? Parallelism { get; set; }

    public int? Completions { get; set; }

    public V1PodTemplateSpec Template { get; set; } = new();
}
