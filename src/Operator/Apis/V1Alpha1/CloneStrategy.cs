namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>
/// How the golden disk is copied: Auto picks the fastest that works (CsiClone, then Snapshot, then Copy);
/// CsiClone uses a PVC dataSource, Snapshot restores the golden's VolumeSnapshot, Copy streams the bytes (sparse-aware).
/// </summary>
public enum CloneStrategy
{
    Auto,
    CsiClone,
    Snapshot,
    Copy,
}
