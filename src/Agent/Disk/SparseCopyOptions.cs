namespace Imprint.Agent.Disk;

/// <summary>Options of <see cref="SparseCopier"/>.</summary>
public sealed record SparseCopyOptions
{
    /// <summary>Chunk size; large and aligned so the kernel can stream.</summary>
    public int BufferSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Re-read the target after the copy and compare hashes of the copied data.</summary>
    public bool Verify { get; init; }

    /// <summary>Minimum time between two progress reports.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public IProgress<CopyProgress>? Progress { get; init; }

    /// <summary>Fed every source chunk as it is read, so the source's disk digest costs no second read.</summary>
    public Integrity.DiskDigester? Digest { get; init; }

    /// <summary>
    /// The source is a raw disk (the default: a qcow2/vmdk/… source is refused). False for byte copies of other
    /// files, such as a decompressed container image set aside before its conversion.
    /// </summary>
    public bool SourceIsRawDisk { get; init; } = true;
}
