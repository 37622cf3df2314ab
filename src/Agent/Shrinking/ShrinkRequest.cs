namespace Imprint.Agent.Shrinking;

/// <summary>Shrink the disk at <see cref="Path"/>: its root (or <see cref="Partition"/>) ext filesystem, partition and file.</summary>
public sealed record ShrinkRequest(string Path)
{
    /// <summary>Partition to shrink; null = the guest root (or the only filesystem of a bare or single-partition disk).</summary>
    public int? Partition { get; init; }

    /// <summary>Compute and report the sizes; write nothing.</summary>
    public bool DryRun { get; init; }
}
