namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentProgressValue(string? Stage, double Fraction, long BytesDone, long BytesTotal);
