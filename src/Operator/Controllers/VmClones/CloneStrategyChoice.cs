using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Storage;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>The strategy picked for a clone, why Auto did not take a faster one, or why the requested one is impossible.</summary>
public sealed record CloneStrategyChoice(CloneStrategy Strategy, string? FallbackReason, string? Impossible)
{
    /// <summary>
    /// Auto: a CSI clone needs the same namespace, StorageClass and volume mode (the CSI spec's limits); else a snapshot
    /// restore when the golden has a snapshot in this namespace and the volume mode matches; else a host-assisted copy, which always works.
    /// Either needs a target StorageClass that really fills a claim from its dataSource (<paramref name="targetClass"/>'s
    /// <paramref name="capabilities"/>): static and host-path volumes bind empty. Neither can make a claim smaller than
    /// its source (<paramref name="sizes"/>: a clone of a shrunk golden asking for less than the golden's claim).
    /// </summary>
    public static CloneStrategyChoice Choose(CloneStrategy requested, bool sameNamespace, string? targetClass, string? goldenClass, VolumeMode targetMode, VolumeMode goldenMode, bool hasSnapshot,
        StorageClassCapabilities? capabilities = null, CloneClaimSizes? sizes = null)
    {
        string? csiBlocker = !sameNamespace ? "the GoldenImage is in another namespace (CSI clones stay within one)"
            : targetClass != goldenClass ? $"the target StorageClass '{targetClass}' differs from the golden's '{goldenClass}'"
            : targetMode != goldenMode ? $"the target volume mode {targetMode} differs from the golden's {goldenMode}"
            : capabilities?.CannotClone
            ?? (sizes is { GoldenClaimBytes: { } source } && sizes.TargetClaimBytes < source
                ? $"the target claim ({sizes.TargetClaimBytes} bytes) is smaller than the golden's claim ({source} bytes): CSI clones cannot shrink"
                : null);
        string? snapshotBlocker = !sameNamespace ? "the GoldenImage is in another namespace (snapshots restore within one)"
            : !hasSnapshot ? "the GoldenImage has no VolumeSnapshot (spec.snapshot)"
            // Kubernetes refuses to restore a snapshot into another volume mode (volume mode conversion protection),
            // and a Filesystem snapshot holds disk.img in a filesystem, not the raw disk a Block volume must be.
            : targetMode != goldenMode ? $"the target volume mode {targetMode} differs from the snapshot's {goldenMode}"
            : capabilities?.CannotRestoreSnapshot
            ?? (sizes is { SnapshotRestoreBytes: { } restore } && sizes.TargetClaimBytes < restore
                ? $"the target claim ({sizes.TargetClaimBytes} bytes) is smaller than the snapshot's restoreSize ({restore} bytes): a restore cannot shrink"
                : null);
        return requested switch
        {
            CloneStrategy.CsiClone => csiBlocker is null ? new(CloneStrategy.CsiClone, null, null) : new(CloneStrategy.CsiClone, null, $"CsiClone is impossible: {csiBlocker}"),
            CloneStrategy.Snapshot => snapshotBlocker is null ? new(CloneStrategy.Snapshot, null, null) : new(CloneStrategy.Snapshot, null, $"Snapshot is impossible: {snapshotBlocker}"),
            CloneStrategy.Copy => new(CloneStrategy.Copy, null, null),
            _ when csiBlocker is null => new(CloneStrategy.CsiClone, null, null),
            _ when snapshotBlocker is null => new(CloneStrategy.Snapshot, $"no CSI clone: {csiBlocker}", null),
            _ => new(CloneStrategy.Copy, $"no CSI clone: {csiBlocker}; no snapshot: {snapshotBlocker}", null),
        };
    }
}
