namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Maps changes of objects a controller owns (seen by a shared informer) to the owner that must be reconciled. Attached
/// once per process; the controller decides what an owner key means while it is not running.
/// </summary>
public interface IOwnerEventSource
{
    /// <summary>True once the informer behind it has listed once.</summary>
    bool IsSynced { get; }

    /// <summary>Adds the mapping handler to the shared informer; call once.</summary>
    void Attach(Action<EntityKey> enqueueOwner);
}
