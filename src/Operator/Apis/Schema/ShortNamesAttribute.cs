namespace Imprint.Operator.Apis.Schema;

/// <summary>Short names <c>kubectl</c> accepts for the kind (e.g. <c>kubectl get gi</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShortNamesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
