namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentCopyDocument(string? Method, long SourceSize, long BytesRead, long BytesWritten, long DurationMs)
{
    /// <summary>An import's digest of the file as served (sha256:hex or sha512:hex).</summary>
    public string? Checksum { get; init; }
}
