namespace Imprint.Operator.Apis.Schema;

/// <summary>Categories the kind belongs to (e.g. <c>kubectl get imprint</c> lists every kind in the category).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CategoriesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
