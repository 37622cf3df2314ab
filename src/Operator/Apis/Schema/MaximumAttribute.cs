namespace Imprint.Operator.Apis.Schema;

/// <summary>Largest allowed number (inclusive); on a list of numbers it applies to each item.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
