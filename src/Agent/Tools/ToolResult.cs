namespace Imprint.Agent.Tools;

/// <summary>What an external tool printed and how it exited.</summary>
public sealed record ToolResult(int ExitStatus, string StandardOutput, string StandardError);
