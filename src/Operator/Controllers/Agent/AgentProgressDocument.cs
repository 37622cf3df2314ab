namespace Imprint.Operator.Controllers.Agent;

/// <summary>One progress line the agent prints with <c>--progress lines</c>: <c>{"progress":{"stage":…,"fraction":…}}</c>.</summary>
public sealed record AgentProgressDocument(AgentProgressValue? Progress);
