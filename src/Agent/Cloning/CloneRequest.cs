using Imprint.Agent.Results;

namespace Imprint.Agent.Cloning;

/// <summary>A clone: copy <see cref="Source"/> (any supported format) to a new raw <see cref="Target"/>, grow it to
/// <see cref="Size"/> and, when a customization is given, customize it.</summary>
public sealed record CloneRequest
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    public long? Size { get; init; }

    /// <summary>Partition to grow; null = auto (the guest root).</summary>
    public int? Partition { get; init; }

    /// <summary>
    /// The source's disk digest as recorded when it was sealed (<c>sha256:…</c>): the copy is hashed as it is read and
    /// a mismatch fails the clone (exit 4) before anything else runs; the target is not kept.
    /// </summary>
    public string? ExpectDigest { get; init; }

    /// <summary>With <see cref="Fetch"/> and <see cref="ExpectDigest"/>: the digester the fetch feeds as it receives.</summary>
    public Integrity.DiskDigester? FetchDigest { get; init; }

    /// <summary>Re-read the copy and compare hashes with the source.</summary>
    public bool Verify { get; init; }

    /// <summary>
    /// Copy the source as raw bytes whatever its first bytes look like (<c>--source-format raw</c>): a raw golden whose
    /// first sector holds a tenant's qcow2 header is never handed to qemu-img.
    /// </summary>
    public bool SourceIsRaw { get; init; }

    public IProgress<Disk.CopyProgress>? Progress { get; init; }

    /// <summary>Replace an existing target file (built as TARGET.partial, then renamed over it).</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Fetches a remote source (e.g. an <c>imprint serve</c> stream) into the given work path instead of copying
    /// <see cref="Source"/> from disk: (work path, whether it is a block device, token) → copy report. When set,
    /// <see cref="Source"/> only names the source in messages.
    /// </summary>
    public Func<string, bool, CancellationToken, Task<CopyReport>>? Fetch { get; init; }
}
