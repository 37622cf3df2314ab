namespace Imprint.Agent.Results;

/// <summary>
/// One partition (or the whole disk as number 0 when unpartitioned) and the filesystem found in it; an LVM logical
/// volume is listed with its PV's partition number, its own byte range and <paramref name="LogicalVolume"/> ("vg/lv").
/// </summary>
public sealed record PartitionReport(
    int Number,
    long Start,
    long Size,
    string Type,
    string? Name,
    string? Filesystem,
    string? Uuid,
    string? Label,
    long? FilesystemSize,
    string? LogicalVolume = null);
