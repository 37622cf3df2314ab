namespace Imprint.Agent.FileSystems;

/// <summary>
/// What <see cref="FileSystemProbe"/> found in a byte range, with the values <c>blkid -p</c> prints for the same bytes.
/// (Not called <c>FileSystemInfo</c>: that name clashes with <see cref="System.IO.FileSystemInfo"/> everywhere.)
/// </summary>
/// <param name="Kind">The recognised format.</param>
/// <param name="TypeName">blkid's TYPE: ext2, ext3, ext4 (ext4dev for test filesystems), xfs, btrfs, vfat, ntfs, swap,
/// LVM2_member, crypto_LUKS.</param>
/// <param name="Uuid">blkid's UUID, formatted exactly as blkid prints it; null when the format has none or it is zero.</param>
/// <param name="Label">blkid's LABEL; null when empty.</param>
/// <param name="Version">blkid's VERSION (ext "1.0", FAT12/FAT16/FAT32, swap "1", "LVM2 001", LUKS "1"/"2"); null when
/// blkid prints none.</param>
/// <param name="BlockSize">blkid's BLOCK_SIZE: the ext block size, the xfs/vfat/ntfs sector size, the btrfs sectorsize,
/// the swap page size; null for LVM and LUKS.</param>
/// <param name="SizeBytes">Size the on-disk metadata claims, which may exceed the probed range (a partition that was
/// shrunk under it); null when the format records none.</param>
/// <param name="Features">ext feature names as dumpe2fs prints them, in its order; empty for other kinds.</param>
/// <param name="NeedsRecovery">ext: the journal holds transactions not yet replayed (incompat needs_recovery).</param>
/// <param name="ChecksumValid">False when the superblock carries a checksum (ext metadata_csum, xfs v5, btrfs crc32c)
/// that does not match. blkid 2.38 still reports such a superblock (later releases drop it); callers that would write to
/// the filesystem should refuse.</param>
/// <param name="Ext">The ext superblock numbers resizing needs; null for other kinds.</param>
public sealed record DetectedFileSystem(
    FileSystemKind Kind,
    string TypeName,
    string? Uuid,
    string? Label,
    string? Version,
    long? BlockSize,
    long? SizeBytes,
    IReadOnlyList<string> Features,
    bool NeedsRecovery,
    bool ChecksumValid = true,
    ExtSuperblock? Ext = null);
