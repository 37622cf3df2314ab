namespace Imprint.Operator.Runtime.Controllers;

/// <summary>A watch on objects a controller owns, mapping each event to the owner that must be reconciled.</summary>
public interface IOwnedResourceWatch
{
    bool IsSynced { get; }

    Task RunAsync(Action<EntityKey> enqueueOwner, CancellationToken cancellationToken);
}
