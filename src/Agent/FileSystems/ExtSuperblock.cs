namespace Imprint.Agent.FileSystems;

/// <summary>The ext2/3/4 superblock fields that grow and shrink decisions need, decoded from the primary superblock.</summary>
public sealed record ExtSuperblock(
    long BlockSize,
    long ClusterSize,
    long BlocksCount,
    long FreeBlocksCount,
    long ReservedBlocksCount,
    long FirstDataBlock,
    long BlocksPerGroup,
    long InodesCount,
    long InodesPerGroup,
    int InodeSize,
    int DescriptorSize,
    int ReservedGdtBlocks,
    uint CompatFeatures,
    uint IncompatFeatures,
    uint RoCompatFeatures,
    uint RevisionLevel,
    int MinorRevisionLevel,
    uint Flags)
{
    public const uint CompatHasJournal = 0x4;
    public const uint CompatResizeInode = 0x10;
    public const uint CompatSparseSuper2 = 0x200;
    public const uint IncompatFiletype = 0x2;
    public const uint IncompatRecover = 0x4;
    public const uint IncompatJournalDev = 0x8;
    public const uint IncompatMetaBg = 0x10;
    public const uint IncompatExtents = 0x40;
    public const uint Incompat64Bit = 0x80;
    public const uint IncompatFlexBg = 0x200;
    public const uint RoCompatSparseSuper = 0x1;
    public const uint RoCompatLargeFile = 0x2;
    public const uint RoCompatBtreeDir = 0x4;
    public const uint RoCompatHugeFile = 0x8;
    public const uint RoCompatBigalloc = 0x200;
    public const uint RoCompatMetadataCsum = 0x400;

    /// <summary>Size in bytes the superblock claims: <see cref="BlocksCount"/> × <see cref="BlockSize"/>.</summary>
    public long SizeBytes => BlocksCount * BlockSize;

    public bool HasJournal => (CompatFeatures & CompatHasJournal) != 0;

    public bool NeedsRecovery => (IncompatFeatures & IncompatRecover) != 0;

    public bool Is64Bit => (IncompatFeatures & Incompat64Bit) != 0;

    public bool HasMetadataChecksum => (RoCompatFeatures & RoCompatMetadataCsum) != 0;

    public bool HasFlexBg => (IncompatFeatures & IncompatFlexBg) != 0;

    public bool HasMetaBg => (IncompatFeatures & IncompatMetaBg) != 0;

    public bool HasResizeInode => (CompatFeatures & CompatResizeInode) != 0;

    public bool HasBigalloc => (RoCompatFeatures & RoCompatBigalloc) != 0;
}
