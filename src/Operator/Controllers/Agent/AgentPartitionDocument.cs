namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentPartitionDocument(int Number, long Start, long Size, string? Type, string? Filesystem, string? Uuid, string? Label);
