namespace Imprint.Operator.Kubernetes.Models;

/// <summary>The answer of a SubjectAccessReview.</summary>
public sealed class V1SubjectAccessReviewStatus
{
    public bool Allowed { get; set; }

    public bool? Denied { get; set; }

    public string? Reason { get; set; }

    public string? EvaluationError { get; set; }
}
