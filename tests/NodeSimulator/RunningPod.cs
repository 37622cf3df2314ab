namespace Imprint.Testing.NodeSimulator;

/// <summary>A pod the kubelet started: its process (none when a failure was injected) and what its status needs at exit.</summary>
internal sealed class RunningPod(string jobUid, int runIndex, PodSandbox sandbox, string startedAt)
{
    public string JobUid { get; } = jobUid;

    public int RunIndex { get; } = runIndex;

    public PodSandbox Sandbox { get; } = sandbox;

    public string StartedAt { get; } = startedAt;

    public PodProcess? Process { get; set; }

    /// <summary>Exit code of an injected failure, or of a process that could not start.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Log text for a pod without a process.</summary>
    public string Log { get; set; } = "";

    public string? TerminatedReason { get; set; }

    public bool Stopping { get; set; }

    /// <summary>A plan that runs its steps before <see cref="FailureRule.Step"/> for real, then fails there.</summary>
    public FailureRule? FailAfterPlan { get; set; }

    public string? FailAfterCommand { get; set; }
}
