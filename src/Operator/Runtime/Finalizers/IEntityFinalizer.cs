using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Finalizers;

/// <summary>
/// Cleanup that must finish before the API server may drop the object. Registered under a name
/// <c>&lt;group&gt;/&lt;purpose&gt;</c>; the runtime adds that name to metadata.finalizers before the first reconcile and
/// removes it after <see cref="FinalizeAsync"/> succeeds. Throwing keeps the finalizer, and the object is retried with
/// backoff; <see cref="FinalizerPendingException"/> says the cleanup is under way (logged as waiting, not as a failure).
/// </summary>
public interface IEntityFinalizer<in TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Runs with a token bounded by the controller's finalizer timeout, not by process shutdown.</summary>
    Task FinalizeAsync(TEntity entity, CancellationToken cancellationToken);
}
