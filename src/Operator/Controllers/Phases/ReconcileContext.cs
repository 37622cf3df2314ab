using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Phases;

/// <summary>
/// What every phase of one reconcile pass sees: the object, the status being built (a copy; the entity's own status
/// stays as read), the services phases call, and the attempt the pass works on.
/// </summary>
public abstract class ReconcileContext<TEntity, TStatus>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
    where TStatus : class, IReconciledStatus
{
    public required TEntity Entity { get; init; }

    public required TStatus Status { get; init; }

    public required IKubernetesClient Client { get; init; }

    /// <summary>Reads Jobs, pods, claims and our custom objects from the shared informers (the API on a miss).</summary>
    public required CachedReader Reader { get; init; }

    public required AgentStepRunner Steps { get; init; }

    /// <summary>The disk's agent steps: one plan Job for the steps that share a pod (see <see cref="DiskStepRunner"/>).</summary>
    public required DiskStepRunner DiskSteps { get; init; }

    public required IEventRecorder Events { get; init; }

    public required ImprintOptions Options { get; init; }

    public required DateTimeOffset Now { get; init; }

    public string Name => Entity.Metadata.Name!;

    public string Namespace => Entity.Metadata.NamespaceProperty!;

    /// <summary>0 for the first attempt; each retry (from the golden or the source) is the next.</summary>
    public int Attempt => Status.RetryCount ?? 0;

    /// <summary>Progress of the running step, as status.progress shows it.</summary>
    public string? Progress { get; set; }

    /// <summary>A Job request for this owner and attempt.</summary>
    public AgentJobRequest Request(AgentStep step, IReadOnlyList<string> args, IReadOnlyList<AgentDisk> disks, AgentInput? input = null) => new()
    {
        Owner = Entity,
        Step = step,
        Attempt = Attempt,
        Args = args,
        Disks = disks,
        Input = input,
    };
}
