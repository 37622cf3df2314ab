namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// The value the API server fills in when the field is absent (only while its parent object is present).
/// Accepts strings, numbers, booleans, enum values (written as their names) and arrays of those.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
