namespace Imprint.Agent.Results;

/// <summary>A disk as inspected: its size, partition table and partitions.</summary>
public sealed record DiskReport(string Path, long Size, string PartitionTable, IReadOnlyList<PartitionReport> Partitions);
