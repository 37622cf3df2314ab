namespace Imprint.Operator.Manifests;

/// <summary>
/// Declares that the annotated class calls the API for these resources (e.g. Groups = [""], Resources = ["pods/log"]),
/// for kinds the operator has no entity class for. Collected by <see cref="RbacGenerator"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class GenericRbacAttribute : Attribute
{
    /// <summary>API groups; "" is the core group.</summary>
    public string[] Groups { get; set; } = [];

    public string[] Resources { get; set; } = [];

    public RbacVerb Verbs { get; set; }

    public RbacScope Scope { get; set; }
}
