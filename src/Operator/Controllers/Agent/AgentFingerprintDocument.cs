namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document (<c>imprint fingerprint</c>): head and tail are null for container images.</summary>
public sealed record AgentFingerprintDocument(string? Format, long Size, long? Length, string? Head, string? Tail);
