using System.Buffers.Binary;

namespace Imprint.Agent.FileSystems;

/// <summary>XFS: the big-endian superblock at byte 0 with libblkid's sanity checks; the v5 CRC is checked and reported.</summary>
internal static class XfsProbe
{
    private const int CrcOffset = 224;
    private const long MinAgBlocks = 64;

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        var sb = window.Read(0, 512);
        if (sb is null || !ProbeFields.HasAscii(sb, 0, "XFSB"))
        {
            return null;
        }

        var blockSize = U32(sb, 4);
        var dblocks = U64(sb, 8);
        var rextSize = U32(sb, 80);
        var agBlocks = U32(sb, 84);
        var agCount = U32(sb, 88);
        var versionNum = U16(sb, 100);
        var sectSize = U16(sb, 102);
        var inodeSize = U16(sb, 104);
        int blockLog = sb[120], sectLog = sb[121], inodeLog = sb[122], inoPerBlockLog = sb[123], imaxPct = sb[127];

        var valid = agCount > 0
            && sectLog is >= 9 and <= 15 && sectSize == 1 << sectLog
            && blockLog is >= 9 and <= 16 && blockSize == 1u << blockLog
            && inodeLog is >= 8 and <= 11 && inodeSize == 1 << inodeLog
            && blockLog - inodeLog == inoPerBlockLog
            && (ulong)rextSize * blockSize is >= 4096 and <= 1024 * 1024 * 1024
            && imaxPct <= 100
            && dblocks != 0
            && dblocks <= (ulong)agCount * agBlocks
            && dblocks >= (ulong)(agCount - 1) * agBlocks + MinAgBlocks;
        if (!valid)
        {
            return null;
        }

        return new DetectedFileSystem(
            FileSystemKind.Xfs,
            "xfs",
            ProbeFields.Uuid(sb.AsSpan(32, 16)),
            ProbeFields.Label(sb.AsSpan(108, 12)),
            Version: null,
            BlockSize: sectSize,
            SizeBytes: dblocks <= (ulong)(long.MaxValue / blockSize) ? (long)dblocks * blockSize : null,
            Features: [],
            NeedsRecovery: false,
            ChecksumValid: (versionNum & 0xF) != 5 || CrcMatches(window, sectSize));
    }

    // v5 superblocks carry CRC32C over the whole sector with the CRC field itself counted as zero.
    private static bool CrcMatches(ProbeWindow window, int sectSize)
    {
        var sector = window.Read(0, sectSize);
        if (sector is null)
        {
            return false;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(CrcOffset));
        sector.AsSpan(CrcOffset, 4).Clear();
        return ~ProbeFields.Crc32C(uint.MaxValue, sector) == stored;
    }

    private static ushort U16(byte[] b, int offset) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(offset));

    private static uint U32(byte[] b, int offset) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(offset));

    private static ulong U64(byte[] b, int offset) => BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(offset));
}
