namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentCopyDocument(string? Method, long SourceSize, long BytesRead, long BytesWritten, long DurationMs);
