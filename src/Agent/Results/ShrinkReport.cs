namespace Imprint.Agent.Results;

/// <summary>
/// What <c>imprint shrink</c> did (or would do, <see cref="DryRun"/>). <see cref="MinimumDiskSize"/> is the disk size
/// resize2fs's minimum alone would give; <see cref="NewDiskSize"/> adds <see cref="MarginBytes"/> of free space in the
/// filesystem and is the smallest size a clone of this disk can have.
/// </summary>
public sealed record ShrinkReport(
    long OldDiskSize,
    long NewDiskSize,
    long MinimumDiskSize,
    int? Partition,
    string Filesystem,
    long OldFilesystemSize,
    long NewFilesystemSize,
    long MinimumFilesystemSize,
    long MarginBytes,
    bool DryRun);
