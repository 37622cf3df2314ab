namespace Imprint.Agent.Integrity;

/// <summary>A computed <see cref="DiskDigest"/>: the digest, the disk's length and how many bytes had to be read.</summary>
public sealed record DigestResult(string Digest, long DiskLength, long DataBytesRead, TimeSpan Elapsed);
