using System.Collections.Concurrent;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Watching;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Drops MODIFIED events that cannot need a reconcile (kubebuilder's GenerationChangedPredicate): the generation equals
/// the last one reconciled successfully for that uid, and neither deletionTimestamp nor finalizers changed. Status
/// writes (ours included) therefore do not loop back into reconciles.
/// </summary>
public sealed class GenerationChangedFilter
{
    private readonly ConcurrentDictionary<string, long> _reconciled = new(StringComparer.Ordinal);

    public bool ShouldEnqueue(EntityEventType type, IKubernetesObject<V1ObjectMeta>? previous, IKubernetesObject<V1ObjectMeta> current)
    {
        if (type != EntityEventType.Modified || previous is null)
        {
            return true;
        }

        var meta = current.Metadata;
        if (meta.Uid is null || meta.Generation is not { } generation
            || !_reconciled.TryGetValue(meta.Uid, out var done) || done != generation)
        {
            return true;
        }

        var old = previous.Metadata;
        return old.Uid != meta.Uid
            || old.DeletionTimestamp != meta.DeletionTimestamp
            || !(old.Finalizers ?? []).SequenceEqual(meta.Finalizers ?? [], StringComparer.Ordinal);
    }

    /// <summary>Records that this generation of the object was reconciled without error.</summary>
    public void Reconciled(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.Metadata.Uid is { } uid && obj.Metadata.Generation is { } generation)
        {
            _reconciled[uid] = generation;
        }
    }

    public void Forget(string? uid)
    {
        if (uid is not null)
        {
            _reconciled.TryRemove(uid, out _);
        }
    }

    public long? LastReconciledGeneration(string uid) => _reconciled.TryGetValue(uid, out var g) ? g : null;
}
