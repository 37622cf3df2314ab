namespace Imprint.Operator.Manifests;

/// <summary>
/// Declares that the annotated class calls the API for these kinds (entity classes with a static <c>Resource</c>),
/// optionally on a subresource such as <c>status</c> or <c>finalizers</c>. Collected by <see cref="RbacGenerator"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class EntityRbacAttribute(params Type[] entities) : Attribute
{
    public IReadOnlyList<Type> Entities { get; } = entities;

    public RbacVerb Verbs { get; set; }

    public string? Subresource { get; set; }

    public RbacScope Scope { get; set; }
}
