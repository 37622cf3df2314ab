namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentHostKeyDocument(string Type, string PublicKey, string Fingerprint);
