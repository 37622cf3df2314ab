namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// One pod the simulated kubelet started for a Job: the container's args as the Job wrote them, the command line
/// actually run on the host, and (once it ended) how it ended.
/// </summary>
public sealed record JobRun(string Namespace, string Job, string Pod, IReadOnlyList<string> Args, IReadOnlyList<string> HostCommand, bool Injected)
{
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>For <c>imprint run PLAN</c>: every step's arguments as rewritten for the host, in plan order.</summary>
    public IReadOnlyList<string> HostPlanArgs { get; init; } = [];

    /// <summary>Null while the container runs.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The process was stopped by the simulator (Job or Pod deleted, deadline exceeded).</summary>
    public bool Killed { get; init; }
}
