namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// OpenAPI format the API server checks (for example <c>ipv4</c>, <c>ipv6</c>, <c>cidr</c>, <c>mac</c>,
/// <c>date-time</c>); on a list of strings it applies to each item.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}
