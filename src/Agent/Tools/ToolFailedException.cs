using Imprint.Agent.Errors;

namespace Imprint.Agent.Tools;

/// <summary>An external tool exited non-zero; carries its name, exit status and the tail of its stderr.</summary>
public sealed class ToolFailedException(string tool, int exitStatus, string stderr)
    : ImprintException(ExitCode.ToolFailed, $"{tool} failed with exit status {exitStatus}: {Tail(stderr)}")
{
    public string Tool { get; } = tool;

    public int ExitStatus { get; } = exitStatus;

    public string StandardError { get; } = stderr;

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 800 ? trimmed : "…" + trimmed[^800..];
    }
}
