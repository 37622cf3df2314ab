using System.Text.Json.Serialization;

namespace Imprint.Agent.Results;

/// <summary>
/// The one JSON document every <c>imprint</c> command can emit (<c>--json</c>, <c>--result-file</c>). Agent Jobs write
/// it to /dev/termination-log, so it must stay under 4 KiB there (see <see cref="ResultWriter"/>). Sections a command
/// does not produce stay null.
/// </summary>
public sealed record AgentResult
{
    public const string CurrentApiVersion = "imprint.dev/agent-result/v1";

    public string ApiVersion { get; init; } = CurrentApiVersion;

    public required string Command { get; init; }

    public bool Ok { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public long DurationMs { get; init; }

    /// <summary>The guest filesystem engine that read or edited the guest: "e2fsprogs" or "libguestfs"; null when none ran.</summary>
    public string? Engine { get; init; }

    public DiskReport? Disk { get; init; }

    public GuestReport? Guest { get; init; }

    public CopyReport? Copy { get; init; }

    public ResizeReport? Resize { get; init; }

    public FingerprintReport? Fingerprint { get; init; }

    /// <summary>The disk's digest: from <c>digest</c>, from <c>seal</c> (of the final disk), or the source's as a clone checked it.</summary>
    public DigestReport? Digest { get; init; }

    public ShrinkReport? Shrink { get; init; }

    public IReadOnlyList<ChangeReport>? Changes { get; init; }

    /// <summary>How many changes were left out of <see cref="Changes"/> to fit the size limit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ChangesOmitted { get; init; }

    public IReadOnlyList<SshHostKeyReport>? SshHostKeys { get; init; }

    public string? MachineId { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>In a plan's per-step results: the step's name.</summary>
    public string? Step { get; init; }

    /// <summary>
    /// In a plan's per-step results, for a step that failed: true when every disk file it names was left exactly as
    /// it found it (same inode, size and modification time), so what earlier steps made is intact; null when that
    /// cannot be told (a block device).
    /// </summary>
    public bool? DiskUnchanged { get; init; }

    /// <summary><c>imprint run</c>: the step that failed, if one did.</summary>
    public string? FailedStep { get; init; }

    /// <summary><c>imprint run</c>: one result per step that ran, in order (the last one failed when the plan did).</summary>
    public IReadOnlyList<AgentResult>? Steps { get; init; }
}
