using System.Buffers.Binary;
using System.Numerics;

namespace Imprint.Agent.FileSystems;

/// <summary>
/// FAT12/16/32: libblkid's boot-sector validation, cluster-count FAT type, and the volume label taken from the
/// root directory's volume-ID entry (what blkid prints as LABEL; the boot-sector copy is its LABEL_FATBOOT).
/// </summary>
internal static class VfatProbe
{
    private const uint Fat12Max = 0xFF4;
    private const uint Fat16Max = 0xFFF4;
    private const uint Fat32Max = 0x0FFFFFF6;
    private const int DirEntrySize = 32;
    private const int DirChunk = 4096;
    private const int MaxChainClusters = 99;
    private const byte AttrVolumeId = 0x08;
    private const byte AttrDirectory = 0x10;
    private const byte AttrLongName = 0x0F;

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        var bs = window.Read(0, 512);
        if (bs is null || !LooksLikeFat(bs) || IsBitLocker(bs))
        {
            return null;
        }

        var fats = bs[0x10];
        var reserved = U16(bs, 0x0E);
        var media = bs[0x15];
        var clusterSectors = bs[0x0D];
        var sectorSize = U16(bs, 0x0B);
        if (fats == 0 || reserved == 0 || !(media >= 0xF8 || media == 0xF0) ||
            !BitOperations.IsPow2(clusterSectors) || !BitOperations.IsPow2(sectorSize) || sectorSize is < 512 or > 4096)
        {
            return null;
        }

        var dirEntries = U16(bs, 0x11);
        uint sectors = U16(bs, 0x13);
        if (sectors == 0)
        {
            sectors = U32(bs, 0x20);
        }

        var fatLength16 = U16(bs, 0x16);
        var fatLength32 = U32(bs, 0x24);
        var fatSize = unchecked((fatLength16 != 0 ? fatLength16 : fatLength32) * fats);
        var dirSectors = (uint)((dirEntries * DirEntrySize) + sectorSize - 1) / sectorSize;

        // Same unsigned arithmetic as libblkid, so a bogus layout wraps and fails the same way.
        var clusters = unchecked(sectors - (reserved + fatSize + dirSectors)) / clusterSectors;
        var maxClusters = fatLength16 == 0 && fatLength32 != 0 ? Fat32Max : clusters > Fat12Max ? Fat16Max : Fat12Max;
        if (clusters > maxClusters)
        {
            return null;
        }

        byte[]? label;
        byte[]? serial = null;
        string? version = null;
        if (fatLength16 != 0)
        {
            label = FindVolumeLabel(window, (long)(reserved + fatSize) * sectorSize, dirEntries);
            if (bs[0x26] is 0x28 or 0x29)
            {
                serial = bs[0x27..0x2B];
            }

            version = clusters < Fat12Max ? "FAT12" : clusters < Fat16Max ? "FAT16" : null;
        }
        else if (fatLength32 != 0)
        {
            label = FindFat32VolumeLabel(window, bs, sectorSize, reserved, fatSize);
            serial = bs[0x43..0x47];
            version = "FAT32";
            if (!FsInfoValid(window, U16(bs, 0x30), sectorSize))
            {
                return null;
            }
        }
        else
        {
            label = null;
        }

        return new DetectedFileSystem(
            FileSystemKind.Vfat,
            "vfat",
            serial is null || !serial.AsSpan().ContainsAnyExcept((byte)0) ? null : $"{serial[3]:X2}{serial[2]:X2}-{serial[1]:X2}{serial[0]:X2}",
            label is null ? null : ProbeFields.Label(label),
            version,
            BlockSize: sectorSize,
            SizeBytes: (long)sectors * sectorSize,
            Features: [],
            NeedsRecovery: false);
    }

    // blkid accepts any of these magics; the weak ones (jump byte, 0x55AA) also need the MBR signature and must not be a
    // JFS/HPFS pseudo boot sector.
    private static bool LooksLikeFat(byte[] bs)
    {
        var strong = ProbeFields.HasAscii(bs, 0x52, "MSWIN") || ProbeFields.HasAscii(bs, 0x52, "FAT32   ") ||
            ProbeFields.HasAscii(bs, 0x36, "MSDOS") || ProbeFields.HasAscii(bs, 0x36, "FAT16   ") ||
            ProbeFields.HasAscii(bs, 0x36, "FAT12   ") || ProbeFields.HasAscii(bs, 0x36, "FAT     ");
        if (strong)
        {
            return true;
        }

        // The weak magics are the jump opcode or 0x55AA, and both then require 0x55AA: so 0x55AA decides.
        return bs[0x1FE] == 0x55 && bs[0x1FF] == 0xAA &&
            !ProbeFields.HasAscii(bs, 0x36, "JFS     ") && !ProbeFields.HasAscii(bs, 0x36, "HPFS    ");
    }

    private static bool IsBitLocker(byte[] bs) => ProbeFields.HasAscii(bs, 3, "-FVE-FS-");

    private static byte[]? FindFat32VolumeLabel(ProbeWindow window, byte[] bs, ushort sectorSize, ushort reserved, uint fatSize)
    {
        var clusterSectors = bs[0x0D];
        var fatEntries = (ulong)U32(bs, 0x24) * sectorSize / 4;
        var next = U32(bs, 0x2C);
        for (var loop = 0; loop < MaxChainClusters && next != 0 && next < fatEntries; loop++)
        {
            var offset = ((long)reserved + fatSize + ((long)(next - 2) * clusterSectors)) * sectorSize;
            var label = FindVolumeLabel(window, offset, clusterSectors * sectorSize / DirEntrySize);
            if (label is not null)
            {
                return label;
            }

            var entry = window.Read(((long)reserved * sectorSize) + (next * 4L), 4);
            if (entry is null)
            {
                return null;
            }

            next = U32(entry, 0) & 0x0FFFFFFF;
        }

        return null;
    }

    /// <summary>Walks directory entries in small chunks and stops at the end marker, so only used entries are read.</summary>
    private static byte[]? FindVolumeLabel(ProbeWindow window, long offset, int entries)
    {
        byte[]? chunk = null;
        var chunkStart = 0;
        for (var i = 0; i < entries; i++)
        {
            var at = i * DirEntrySize;
            if (chunk is null || at - chunkStart >= chunk.Length)
            {
                chunkStart = at;
                chunk = window.Read(offset + at, Math.Min(DirChunk, (entries - i) * DirEntrySize));
                if (chunk is null)
                {
                    return null;
                }
            }

            var entry = chunk.AsSpan(at - chunkStart, DirEntrySize);
            if (entry[0] == 0x00)
            {
                return null;
            }

            var attr = entry[11];
            if (entry[0] == 0xE5 || U16(entry, 20) != 0 || U16(entry, 26) != 0 || (attr & 0x3F) == AttrLongName)
            {
                continue;
            }

            if ((attr & (AttrVolumeId | AttrDirectory)) == AttrVolumeId)
            {
                var name = entry[..11].ToArray();
                if (name[0] == 0x05)
                {
                    name[0] = 0xE5;
                }

                return name;
            }
        }

        return null;
    }

    // FAT32 wants a valid FSInfo signature, or all zero bytes as some formatters leave it.
    private static bool FsInfoValid(ProbeWindow window, ushort fsInfoSector, ushort sectorSize)
    {
        if (fsInfoSector == 0)
        {
            return true;
        }

        var info = window.Read((long)fsInfoSector * sectorSize, 512);
        if (info is null)
        {
            return false;
        }

        var lead = U32(info, 0);
        var middle = U32(info, 484);
        return lead is 0x41615252 or 0x41645252 or 0 && middle is 0x61417272 or 0;
    }

    private static ushort U16(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(b[offset..]);

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);
}
