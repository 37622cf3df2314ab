namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// The sizes a driver-filled claim is held to: Kubernetes cannot make a CSI clone smaller than its source claim nor
/// restore a snapshot into less than its restoreSize, so a target claim below either rules that strategy out.
/// </summary>
/// <param name="TargetClaimBytes">What the clone's claim will ask for.</param>
/// <param name="GoldenClaimBytes">The golden claim's requested size (a lower bound of its capacity), when known.</param>
/// <param name="SnapshotRestoreBytes">The golden snapshot's status.restoreSize, when known.</param>
public sealed record CloneClaimSizes(long TargetClaimBytes, long? GoldenClaimBytes, long? SnapshotRestoreBytes);
