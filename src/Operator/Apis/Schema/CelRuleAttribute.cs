namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>). On a class it applies to the object wherever the class is used;
/// on a property it applies to that field's value (<c>self</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>A CEL expression producing the message (the API server prefers it over <see cref="Message"/>).</summary>
    public string? MessageExpression { get; set; }

    /// <summary>The field reported in the error, relative to <c>self</c>, e.g. <c>.pvc</c>.</summary>
    public string? FieldPath { get; set; }

    public CelRuleReason Reason { get; set; }
}
