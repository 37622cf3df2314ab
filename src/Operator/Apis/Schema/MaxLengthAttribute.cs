namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// Longest allowed string; on a list of strings it applies to each item. Bounds also keep the API server's CEL cost
/// estimate of the rules around the field within budget.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}
