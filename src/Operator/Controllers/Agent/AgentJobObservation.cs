namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// What the controller learned about a Job: its state, the agent's result on success, the exit code and message on
/// failure (the agent's own error when it wrote a result, else the termination message or the Job's reason), and the
/// latest progress while it runs.
/// </summary>
public sealed record AgentJobObservation(
    AgentJobState State,
    AgentResultDocument? Result = null,
    int? ExitCode = null,
    string? FailureMessage = null,
    AgentProgressValue? Progress = null,
    string? PodName = null);
