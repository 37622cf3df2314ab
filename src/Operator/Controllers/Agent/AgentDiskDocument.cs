namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentDiskDocument(long Size, string? PartitionTable, IReadOnlyList<AgentPartitionDocument>? Partitions);
