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
    string? Engine = null);
