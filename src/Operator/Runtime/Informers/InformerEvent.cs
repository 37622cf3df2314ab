using Imprint.Operator.Runtime.Watching;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>
/// One change an informer delivers to its handlers: the object as it is now (for a deletion, its last state) and, for
/// updates and deletions, what the cache held before.
/// </summary>
public sealed record InformerEvent<T>(EntityEventType Type, T Object, T? Previous)
    where T : class;
