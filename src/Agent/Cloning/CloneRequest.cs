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

    /// <summary>Re-read the copy and compare hashes with the source.</summary>
    public bool Verify { get; init; }

    public IProgress<Disk.CopyProgress>? Progress { get; init; }
}
