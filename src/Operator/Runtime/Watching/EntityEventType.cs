namespace Imprint.Operator.Runtime.Watching;

/// <summary>What happened to an object, as seen by a watch or synthesized by a relist.</summary>
public enum EntityEventType
{
    Added,
    Modified,
    Deleted,
}
