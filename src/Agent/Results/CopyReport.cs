namespace Imprint.Agent.Results;

/// <summary>How the source reached the target disk.</summary>
public sealed record CopyReport(string Method, IReadOnlyList<string> SourceFormats, long SourceSize, long BytesRead, long BytesWritten, long DurationMs, string? Sha256);
