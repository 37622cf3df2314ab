namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document (<c>seal</c>, <c>digest</c>, <c>clone --expect-digest</c>): the disk's digest.</summary>
public sealed record AgentDigestDocument(string Digest, long DiskSize, long DataBytesRead, long DurationMs);
