namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentResizeDocument(long OldDiskSize, long NewDiskSize, int? Partition, long DurationMs);
