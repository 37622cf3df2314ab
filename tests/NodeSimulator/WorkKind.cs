namespace Imprint.Testing.NodeSimulator;

internal enum WorkKind
{
    Job,
    JobDeleted,
    Pod,
    PodDeleted,
    PodExited,
    Claim,
    ClaimDeleted,
    /// <summary>A PersistentVolume changed (e.g. a populator rebound its claimRef): bind the claim it names.</summary>
    Volume,
    Snapshot,
    SnapshotDeleted,
    /// <summary>Re-check everything waiting in a namespace (null: all): Pending claims and pods, unready snapshots.</summary>
    Waiters,
}
