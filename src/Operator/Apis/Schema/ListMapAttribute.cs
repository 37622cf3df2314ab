namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// A list whose items are identified by key fields (<c>x-kubernetes-list-type: map</c>): the API server rejects
/// duplicates and server-side apply merges items by key. Key fields must be required.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
