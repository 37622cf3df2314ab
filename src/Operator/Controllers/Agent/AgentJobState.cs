namespace Imprint.Operator.Controllers.Agent;

/// <summary>Where one agent Job stands.</summary>
public enum AgentJobState
{
    Missing,
    Running,
    Succeeded,
    Failed,
}
