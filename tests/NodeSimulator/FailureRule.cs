using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>Makes the next <c>Remaining</c> pods of matching Jobs end with an exit code instead of running.</summary>
/// <remarks>
/// With a <see cref="Step"/>, only Jobs running that step match: a single-step Job with that step label, or a plan Job
/// listing it; a plan runs its earlier steps for real and fails at that one (<see cref="DiskUnchanged"/> is what the
/// injected step result says about the disk).
/// </remarks>
internal sealed class FailureRule(Func<JsonObject, bool> match, int exitCode, string message, int count, string? step = null, bool diskUnchanged = false)
{
    private int _remaining = count;

    public int ExitCode { get; } = exitCode;

    public string Message { get; } = message;

    public string? Step { get; } = step;

    public bool DiskUnchanged { get; } = diskUnchanged;

    /// <summary>Claims one use when the rule matches and has uses left.</summary>
    public bool TryClaim(JsonObject job)
    {
        if (Volatile.Read(ref _remaining) <= 0 || !match(job) || (Step is not null && !RunsStep(job, Step)))
            return false;
        return Interlocked.Decrement(ref _remaining) >= 0;
    }

    private static bool RunsStep(JsonObject job, string step) =>
        (string?)job["metadata"]?["labels"]?["imprint.dev/step"] == step
        || ((string?)job["metadata"]?["annotations"]?["imprint.dev/plan-steps"])?.Split(',').Contains(step) == true;
}
