namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
/// <param name="Step">Inside a plan, the name of the step the line is about (the step running).</param>
public sealed record AgentProgressValue(string? Stage, double Fraction, long BytesDone, long BytesTotal, string? Step = null);
