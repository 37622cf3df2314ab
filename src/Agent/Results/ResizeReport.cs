namespace Imprint.Agent.Results;

/// <summary>What growing did: disk, partition and filesystem sizes before and after, and the engine that grew the filesystem (null when it did not need to).</summary>
public sealed record ResizeReport(
    long OldDiskSize,
    long NewDiskSize,
    int? Partition,
    long? OldPartitionSize,
    long? NewPartitionSize,
    string? Filesystem,
    long? OldFilesystemSize,
    long? NewFilesystemSize,
    bool BackupGptMoved,
    long DurationMs,
    string? Engine = null)
{
    /// <summary>"vg/lv" when the grown filesystem lives in an LVM logical volume (then <see cref="Partition"/> is its PV's).</summary>
    public string? LogicalVolume { get; init; }

    public long? OldLogicalVolumeSize { get; init; }

    public long? NewLogicalVolumeSize { get; init; }
}
