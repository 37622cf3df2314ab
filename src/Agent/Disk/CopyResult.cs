namespace Imprint.Agent.Disk;

/// <summary>What a sparse copy did.</summary>
/// <param name="SourceLength">Logical size of the source.</param>
/// <param name="DataBytesRead">Bytes read from the source's data extents.</param>
/// <param name="BytesWritten">Bytes written to the target (zero blocks of a fresh target are skipped).</param>
/// <param name="Elapsed">Wall time of the copy.</param>
/// <param name="Sha256">Hex SHA-256 over the source's data extents (offset, length, bytes), when verification ran.</param>
public sealed record CopyResult(long SourceLength, long DataBytesRead, long BytesWritten, TimeSpan Elapsed, string? Sha256);
