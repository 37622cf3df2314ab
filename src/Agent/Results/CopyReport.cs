namespace Imprint.Agent.Results;

/// <summary>How the source reached the target disk.</summary>
public sealed record CopyReport(string Method, IReadOnlyList<string> SourceFormats, long SourceSize, long BytesRead, long BytesWritten, long DurationMs, string? Sha256)
{
    /// <summary>
    /// "ALGORITHM:HEX" of the bytes that came over the network: for <c>import</c> the downloaded file (the value
    /// --checksum was verified against, when given), for a transfer the data hash both ends checked.
    /// </summary>
    public string? Checksum { get; init; }
}
