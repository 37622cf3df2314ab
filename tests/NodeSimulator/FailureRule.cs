using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>Makes the next <c>Remaining</c> pods of matching Jobs end with an exit code instead of running.</summary>
internal sealed class FailureRule(Func<JsonObject, bool> match, int exitCode, string message, int count)
{
    private int _remaining = count;

    public int ExitCode { get; } = exitCode;

    public string Message { get; } = message;

    /// <summary>Claims one use when the rule matches and has uses left.</summary>
    public bool TryClaim(JsonObject job)
    {
        if (Volatile.Read(ref _remaining) <= 0 || !match(job))
            return false;
        return Interlocked.Decrement(ref _remaining) >= 0;
    }
}
