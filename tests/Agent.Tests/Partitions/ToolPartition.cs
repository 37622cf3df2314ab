namespace Imprint.Agent.Tests.Partitions;

/// <summary>One partition as an external tool (sgdisk, sfdisk, fdisk) reports it: the oracle our reader is compared with.</summary>
public sealed record ToolPartition(int Number, long Start, long Size, string Type, string? Uuid, string? Name, ulong Attributes, bool Bootable);
