using System.Buffers.Binary;

namespace Imprint.Agent.FileSystems;

/// <summary>Btrfs: the primary superblock at 64 KiB; its CRC32C is checked and reported, not required (as blkid 2.38).</summary>
internal static class BtrfsProbe
{
    private const long SuperblockOffset = 0x10000;
    private const int SuperblockSize = 4096;
    private const int ChecksumSize = 32;

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        var sb = window.Read(SuperblockOffset, SuperblockSize);
        if (sb is null || !ProbeFields.HasAscii(sb, 0x40, "_BHRfS_M"))
        {
            return null;
        }

        // Only crc32c (type 0) is verified; xxhash64, sha256 and blake2b superblocks are taken as valid.
        var csumType = BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(0xC4));
        var checksumValid = csumType != 0 ||
            ~ProbeFields.Crc32C(uint.MaxValue, sb.AsSpan(ChecksumSize)) == BinaryPrimitives.ReadUInt32LittleEndian(sb);
        var sectorSize = BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(0x90));
        if (sectorSize == 0)
        {
            return null;
        }

        var totalBytes = BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(0x70));
        return new DetectedFileSystem(
            FileSystemKind.Btrfs,
            "btrfs",
            ProbeFields.Uuid(sb.AsSpan(0x20, 16)),
            ProbeFields.Label(sb.AsSpan(0x12B, 256)),
            Version: null,
            BlockSize: sectorSize,
            SizeBytes: totalBytes <= long.MaxValue ? (long)totalBytes : null,
            Features: [],
            NeedsRecovery: false,
            ChecksumValid: checksumValid);
    }
}
