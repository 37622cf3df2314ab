namespace Imprint.Operator.Apis.Schema;

/// <summary>Fewest allowed list items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}
