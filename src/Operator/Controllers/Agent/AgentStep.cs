namespace Imprint.Operator.Controllers.Agent;

/// <summary>The agent command a Job runs; the value is the <c>imprint.dev/step</c> label and part of the Job name.</summary>
public enum AgentStep
{
    Import,
    Inspect,
    Seal,
    Copy,
    Customize,
    Resize,
    Serve,
}
