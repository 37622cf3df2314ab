using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>authorization.k8s.io/v1 SubjectAccessReview: asks whether a user may do something (create only).</summary>
public sealed class V1SubjectAccessReview : IKubernetesObject<V1SubjectAccessReview>
{
    public static ResourceType Resource { get; } = new("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", Namespaced: false);

    public static JsonTypeInfo<V1SubjectAccessReview> JsonTypeInfo => KubernetesJsonContext.Default.V1SubjectAccessReview;

    public static JsonTypeInfo<KubernetesList<V1SubjectAccessReview>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListV1SubjectAccessReview;

    public static JsonTypeInfo<WatchEvent<V1SubjectAccessReview>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventV1SubjectAccessReview;

    public string? ApiVersion { get; set; } = "authorization.k8s.io/v1";

    public string? Kind { get; set; } = "SubjectAccessReview";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1SubjectAccessReviewSpec Spec { get; set; } = new();

    public V1SubjectAccessReviewStatus? Status { get; set; }
}
