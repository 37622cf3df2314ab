namespace Imprint.Operator.Kubernetes.Models;

/// <summary>spec of a SubjectAccessReview: who asks to do what.</summary>
public sealed class V1SubjectAccessReviewSpec
{
    public V1ResourceAttributes? ResourceAttributes { get; set; }

    public string? User { get; set; }

    public IList<string>? Groups { get; set; }

    public string? Uid { get; set; }
}
