namespace Imprint.Operator.Apis.Schema;

/// <summary>Marks a free-form object: <c>x-kubernetes-preserve-unknown-fields: true</c>, so the API server keeps any field.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
