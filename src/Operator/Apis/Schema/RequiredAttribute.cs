namespace Imprint.Operator.Apis.Schema;

/// <summary>The property must be present; it goes into the parent object's <c>required</c> list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
