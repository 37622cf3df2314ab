namespace Imprint.Operator.Apis.Schema;

/// <summary>Shortest allowed string; on a list of strings it applies to each item.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}
