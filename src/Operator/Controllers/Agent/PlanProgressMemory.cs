using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// The step each owner's running plan pod last reported, so a pass whose log read gave no progress (e.g. read as the
/// pod ends) keeps that step instead of falling back to the plan's first one. One entry per owner (by UID, else kind/namespace/name), only while
/// its plan Job runs: it is dropped when the Job is seen finished or gone, replaced by a retry's Job or pod, and
/// forgotten when the owner is deleted — so it holds at most one entry per live owner with a running plan.
/// One instance per process, shared by the passes of every owner (each pass builds its own <see cref="DiskStepRunner"/>).
/// </summary>
public sealed class PlanProgressMemory
{
    private readonly ConcurrentDictionary<string, Entry> _byOwner = new(StringComparer.Ordinal);

    /// <summary>Owners with a remembered step.</summary>
    public int Count => _byOwner.Count;

    /// <summary>
    /// Remembers or forgets what <paramref name="observation"/> of plan Job <paramref name="job"/> says, and returns it
    /// with the remembered progress when it is running without any of its own.
    /// </summary>
    public AgentJobObservation Apply(IKubernetesObject<V1ObjectMeta> owner, string job, AgentJobObservation observation)
    {
        var key = KeyOf(owner);
        if (observation.State != AgentJobState.Running || observation.PodName is not { } pod)
        {
            _byOwner.TryRemove(key, out _);
            return observation;
        }

        if (observation.Progress?.Step is not null)
        {
            _byOwner[key] = new Entry(job, pod, observation.Progress);
            return observation;
        }

        // Only the same pod of the same Job: a retry's new Job or pod starts afresh.
        return _byOwner.TryGetValue(key, out var last) && last.Job == job && last.Pod == pod
            ? observation with { Progress = last.Progress }
            : observation;
    }

    /// <summary>Drops the owner's entry (the owner was deleted).</summary>
    public void Forget(IKubernetesObject<V1ObjectMeta> owner) => _byOwner.TryRemove(KeyOf(owner), out _);

    private static string KeyOf(IKubernetesObject<V1ObjectMeta> owner) =>
        owner.Metadata.Uid ?? $"{owner.Kind}/{owner.Metadata.NamespaceProperty}/{owner.Metadata.Name}";

    private sealed record Entry(string Job, string Pod, AgentProgressValue Progress);
}
