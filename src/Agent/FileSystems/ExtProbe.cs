using System.Buffers.Binary;
using System.Globalization;

namespace Imprint.Agent.FileSystems;

/// <summary>ext2/3/4: the primary superblock at byte 1024, classified the way libblkid's ext probes do.</summary>
internal static class ExtProbe
{
    private const int SuperblockOffset = 1024;
    private const int SuperblockSize = 1024;
    private const int ChecksumOffset = 0x3FC;
    private const uint FlagTestFilesystem = 0x4;

    // What ext2 and ext3 drivers understand (libblkid's *_SUPP masks); anything beyond makes it ext4.
    private const uint RoCompatSupported = ExtSuperblock.RoCompatSparseSuper | ExtSuperblock.RoCompatLargeFile | ExtSuperblock.RoCompatBtreeDir;
    private const uint Ext2IncompatSupported = ExtSuperblock.IncompatFiletype | ExtSuperblock.IncompatMetaBg;
    private const uint Ext3IncompatSupported = Ext2IncompatSupported | ExtSuperblock.IncompatRecover;

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        var sb = window.Read(SuperblockOffset, SuperblockSize);
        if (sb is null || U16(sb, 0x38) != 0xEF53)
        {
            return null;
        }

        var compat = U32(sb, 0x5C);
        var incompat = U32(sb, 0x60);
        var roCompat = U32(sb, 0x64);
        var checksumValid = (roCompat & ExtSuperblock.RoCompatMetadataCsum) == 0 ||
            ProbeFields.Crc32C(uint.MaxValue, sb.AsSpan(0, ChecksumOffset)) == U32(sb, ChecksumOffset);

        // An external journal device (blkid's "jbd") is not a filesystem we handle.
        var logBlockSize = U32(sb, 0x18);
        var logClusterSize = U32(sb, 0x1C);
        if ((incompat & ExtSuperblock.IncompatJournalDev) != 0 || logBlockSize > 6)
        {
            return null;
        }

        var flags = U32(sb, 0x160);
        var beyondExt3 = (roCompat & ~RoCompatSupported) != 0 || (incompat & ~Ext3IncompatSupported) != 0;
        var beyondExt2 = (roCompat & ~RoCompatSupported) != 0 || (incompat & ~Ext2IncompatSupported) != 0;
        (FileSystemKind Kind, string Name)? type =
            beyondExt3 && (flags & FlagTestFilesystem) != 0 ? (FileSystemKind.Ext4, "ext4dev")
            : beyondExt3 ? (FileSystemKind.Ext4, "ext4")
            : (compat & ExtSuperblock.CompatHasJournal) != 0 ? (FileSystemKind.Ext3, "ext3")
            : !beyondExt2 ? (FileSystemKind.Ext2, "ext2")
            : null; // e.g. needs_recovery without a journal: no blkid ext probe claims it either.
        if (type is not { } t)
        {
            return null;
        }

        var is64 = (incompat & ExtSuperblock.Incompat64Bit) != 0;
        var blockSize = 1024L << (int)logBlockSize;
        var ext = new ExtSuperblock(
            BlockSize: blockSize,
            ClusterSize: (roCompat & ExtSuperblock.RoCompatBigalloc) != 0 && logClusterSize <= 30 ? 1024L << (int)logClusterSize : blockSize,
            BlocksCount: Wide(sb, 0x04, 0x150, is64),
            FreeBlocksCount: Wide(sb, 0x0C, 0x158, is64),
            ReservedBlocksCount: Wide(sb, 0x08, 0x154, is64),
            FirstDataBlock: U32(sb, 0x14),
            BlocksPerGroup: U32(sb, 0x20),
            InodesCount: U32(sb, 0x00),
            InodesPerGroup: U32(sb, 0x28),
            InodeSize: U32(sb, 0x4C) == 0 ? 128 : U16(sb, 0x58),
            DescriptorSize: is64 ? U16(sb, 0xFE) : 32,
            ReservedGdtBlocks: U16(sb, 0xCE),
            CompatFeatures: compat,
            IncompatFeatures: incompat,
            RoCompatFeatures: roCompat,
            RevisionLevel: U32(sb, 0x4C),
            MinorRevisionLevel: U16(sb, 0x3E),
            Flags: flags);

        return new DetectedFileSystem(
            t.Kind,
            t.Name,
            ProbeFields.Uuid(sb.AsSpan(0x68, 16)),
            ProbeFields.Label(sb.AsSpan(0x78, 16)),
            string.Create(CultureInfo.InvariantCulture, $"{ext.RevisionLevel}.{ext.MinorRevisionLevel}"),
            blockSize,
            ext.SizeBytes,
            ExtFeatureNames.Describe(compat, incompat, roCompat),
            ext.NeedsRecovery,
            checksumValid,
            ext);
    }

    private static long Wide(byte[] sb, int lo, int hi, bool is64) => U32(sb, lo) | (is64 ? (long)U32(sb, hi) << 32 : 0);

    private static ushort U16(byte[] b, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(offset));

    private static uint U32(byte[] b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset));
}
