namespace Imprint.Agent.Inspection;

/// <summary>The names a partition can be referred to by in /etc/fstab.</summary>
public sealed record PartitionIdentity(int Number, string? FilesystemUuid, string? FilesystemLabel, string? PartitionUuid, string? PartitionLabel);
