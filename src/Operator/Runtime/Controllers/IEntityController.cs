using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// A reconciler for one kind (as KubeOps' IEntityController): called with a private copy of the object as the shared
/// informer holds it (never older than our own last write of it) after any change of its spec, deletion state or owned
/// objects; and once more after it is gone. A reconciler that writes the object sets the entity's
/// metadata.resourceVersion to the one the server answered with, so the runner knows which version to wait for.
/// Resolved from a fresh DI scope per call.
/// </summary>
public interface IEntityController<in TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(TEntity entity, CancellationToken cancellationToken);

    /// <summary>Called after the object has left the API server (the last version we saw).</summary>
    Task<ReconcileResult> DeletedAsync(TEntity entity, CancellationToken cancellationToken);
}
