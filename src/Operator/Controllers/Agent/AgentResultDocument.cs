namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// The operator's reading of the agent's JSON result (apiVersion imprint.dev/agent-result/v1). Only what the
/// controllers use; unknown fields are ignored so a newer agent does not break an older operator.
/// </summary>
public sealed record AgentResultDocument
{
    public const string SupportedApiVersion = "imprint.dev/agent-result/v1";

    public string? ApiVersion { get; init; }

    public string? Command { get; init; }

    public bool Ok { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public long DurationMs { get; init; }

    /// <summary>Which engine edited the guest: <c>e2fsprogs</c> (ext, in process) or <c>libguestfs</c> (appliance VM).</summary>
    public string? Engine { get; init; }

    public AgentDiskDocument? Disk { get; init; }

    public AgentGuestDocument? Guest { get; init; }

    public AgentCopyDocument? Copy { get; init; }

    public AgentResizeDocument? Resize { get; init; }

    public AgentFingerprintDocument? Fingerprint { get; init; }

    public AgentDigestDocument? Digest { get; init; }

    public AgentShrinkDocument? Shrink { get; init; }

    public IReadOnlyList<AgentChangeDocument>? Changes { get; init; }

    public int ChangesOmitted { get; init; }

    public IReadOnlyList<AgentHostKeyDocument>? SshHostKeys { get; init; }

    public string? MachineId { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>In a plan's per-step results: the step's name.</summary>
    public string? Step { get; init; }

    /// <summary>In a plan's per-step results, for a failed step: it left every disk file it names as it found it.</summary>
    public bool? DiskUnchanged { get; init; }

    /// <summary>A plan's result: the step that failed.</summary>
    public string? FailedStep { get; init; }

    /// <summary>A plan's result: one result per step that ran, in order.</summary>
    public IReadOnlyList<AgentResultDocument>? Steps { get; init; }
}
