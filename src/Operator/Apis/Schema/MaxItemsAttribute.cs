namespace Imprint.Operator.Apis.Schema;

/// <summary>Most allowed list items (also bounds the CEL cost of rules on the items).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}
