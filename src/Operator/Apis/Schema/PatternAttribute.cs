namespace Imprint.Operator.Apis.Schema;

/// <summary>ECMA-262 regular expression a string must match; on a list of strings it applies to each item.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
