namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentChangeDocument(string Operation, string Path, string Action);
