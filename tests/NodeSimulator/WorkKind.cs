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
    Snapshot,
    SnapshotDeleted,
    /// <summary>Re-check everything waiting in a namespace (null: all): Pending claims and pods, unready snapshots.</summary>
    Waiters,
}
