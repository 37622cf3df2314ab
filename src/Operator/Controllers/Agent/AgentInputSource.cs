namespace Imprint.Operator.Controllers.Agent;

/// <summary>The kind of object an input file is projected from.</summary>
public enum AgentInputSource
{
    Secret,
    ConfigMap,
}
