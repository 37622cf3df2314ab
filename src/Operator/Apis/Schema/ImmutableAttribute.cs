namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// The field cannot change once set: emits the rule <c>self == oldSelf</c> with <see cref="Message"/>, and, when the
/// field is optional, a rule on the parent that it cannot be removed once set.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ImmutableAttribute(string message) : Attribute
{
    public string Message { get; } = message;
}
