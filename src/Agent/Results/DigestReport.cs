namespace Imprint.Agent.Results;

/// <summary>
/// A disk's digest (<c>sha256:</c> + hex over every byte, holes as zeros; see <c>Integrity.DiskDigest</c>), the disk
/// size it covers and the data bytes read to compute it. <see cref="Expected"/> is set when a copy checked it.
/// </summary>
public sealed record DigestReport(string Digest, long DiskSize, long DataBytesRead, long DurationMs)
{
    public string? Expected { get; init; }
}
