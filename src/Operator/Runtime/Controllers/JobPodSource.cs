using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Enqueues the owner of a Job when one of the Job's pods changes: pod → its controlling Job reference (or the
/// <c>job-name</c> label) → the Job in the shared Job cache → the Job's controlling owner. No API call: a pod whose Job
/// the cache has not seen yet maps to nothing, and the Job's own event enqueues the owner when it arrives.
/// </summary>
public sealed class JobPodSource<TPod, TJob>(SharedInformer<TPod> pods, IInformerCache<TJob> jobs, ResourceType owner) : IOwnerEventSource
    where TPod : class, IKubernetesObject<V1ObjectMeta>
    where TJob : class, IKubernetesObject<V1ObjectMeta>
{
    public const string JobNameLabel = "job-name";

    public const string QualifiedJobNameLabel = "batch.kubernetes.io/job-name";

    public bool IsSynced => pods.HasSynced && jobs.HasSynced;

    public void Attach(Action<EntityKey> enqueueOwner)
    {
        ArgumentNullException.ThrowIfNull(enqueueOwner);
        pods.AddEventHandler(e =>
        {
            if (JobOf(e.Object) is { } job
                && jobs.Get(job.Namespace, job.Name) is { } found
                && OwnerReferences.ControllerOwner(found, owner) is { } key)
            {
                enqueueOwner(key);
            }
        });
    }

    private static EntityKey? JobOf(TPod pod)
    {
        var name = pod.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == ResourceType.Of<TJob>().Kind)?.Name;
        if (name is null && pod.Metadata.Labels is { } labels && !labels.TryGetValue(QualifiedJobNameLabel, out name))
        {
            labels.TryGetValue(JobNameLabel, out name);
        }

        return name is null ? null : new EntityKey(pod.Metadata.NamespaceProperty, name);
    }
}
