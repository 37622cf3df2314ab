using System.Buffers.Binary;
using System.Text;

namespace Imprint.Agent.FileSystems;

/// <summary>
/// NTFS: libblkid's boot-sector checks, the volume serial as UUID, and the label from the $VOLUME_NAME attribute of MFT
/// record 3 ($Volume).
/// </summary>
internal static class NtfsProbe
{
    private const int MaxClusterSize = 2 * 1024 * 1024;
    private const int MaxRecordSize = 64 * 1024;
    private const int VolumeRecord = 3;
    private const uint AttrVolumeName = 0x60;
    private const uint AttrEnd = 0xFFFFFFFF;

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        var bs = window.Read(0, 512);
        if (bs is null || !ProbeFields.HasAscii(bs, 3, "NTFS    "))
        {
            return null;
        }

        var sectorSize = U16(bs, 0x0B);
        var spc = bs[0x0D];
        long sectorsPerCluster = spc switch
        {
            1 or 2 or 4 or 8 or 16 or 32 or 64 or 128 => spc,
            >= 240 and <= 249 => 1L << (256 - spc),
            _ => 0,
        };

        // The FAT-era BPB fields NTFS leaves unused must be zero.
        if (sectorSize is < 256 or > 4096 || sectorsPerCluster == 0 || sectorSize * sectorsPerCluster > MaxClusterSize ||
            U16(bs, 0x0E) != 0 || U16(bs, 0x11) != 0 || U16(bs, 0x13) != 0 || U16(bs, 0x16) != 0 || U32(bs, 0x20) != 0 || bs[0x10] != 0)
        {
            return null;
        }

        var perRecord = (sbyte)bs[0x40];
        if (!((byte)perRecord is >= 0xE1 and <= 0xF7 || perRecord is 1 or 2 or 4 or 8 or 16 or 32 or 64))
        {
            return null;
        }

        // Real MFT records are 1 or 4 KiB; a larger claim is garbage we will not read megabytes for.
        var recordSize = perRecord > 0 ? perRecord * sectorsPerCluster * sectorSize : 1L << -perRecord;
        if (recordSize > MaxRecordSize)
        {
            return null;
        }

        var sectors = U64(bs, 0x28);
        var clusters = sectors / (ulong)sectorsPerCluster;
        var mftCluster = U64(bs, 0x30);
        if (mftCluster > clusters || U64(bs, 0x38) > clusters)
        {
            return null;
        }

        var mftOffset = (long)mftCluster * sectorSize * sectorsPerCluster;
        var mft = window.Read(mftOffset, (int)recordSize);
        var volume = window.Read(mftOffset + (VolumeRecord * recordSize), (int)recordSize);
        if (mft is null || volume is null || !ProbeFields.HasAscii(mft, 0, "FILE") || !ProbeFields.HasAscii(volume, 0, "FILE"))
        {
            return null;
        }

        var serial = U64(bs, 0x48);
        return new DetectedFileSystem(
            FileSystemKind.Ntfs,
            "ntfs",
            serial == 0 ? null : serial.ToString("X16", System.Globalization.CultureInfo.InvariantCulture),
            VolumeName(volume, sectorSize),
            Version: null,
            BlockSize: sectorSize,
            SizeBytes: sectors <= (ulong)(long.MaxValue / sectorSize) ? (long)sectors * sectorSize : null,
            Features: [],
            NeedsRecovery: false);
    }

    private static string? VolumeName(byte[] record, int sectorSize)
    {
        ApplyFixups(record, sectorSize);
        var attrOffset = (long)U16(record, 0x14);
        var allocated = U32(record, 0x1C);
        while (attrOffset + 24 <= record.Length && attrOffset <= allocated)
        {
            var attr = record.AsSpan((int)attrOffset);
            var type = U32(attr, 0);
            var length = U32(attr, 4);
            if (length == 0 || type == AttrEnd)
            {
                return null;
            }

            if (type == AttrVolumeName)
            {
                var valueLength = U32(attr, 16);
                var valueOffset = U16(attr, 20);
                return attrOffset + valueOffset + valueLength <= record.Length
                    ? ProbeFields.Trimmed(Encoding.Unicode.GetString(attr.Slice(valueOffset, (int)valueLength)))
                    : null;
            }

            attrOffset += length;
        }

        return null;
    }

    // The last two bytes of every sector of an MFT record are swapped out for the update sequence number; put the real
    // bytes back when the sequence checks out (libblkid skips this; it only matters for names crossing a sector end).
    private static void ApplyFixups(byte[] record, int sectorSize)
    {
        int usaOffset = U16(record, 4), usaCount = U16(record, 6);
        if (usaCount < 2 || usaOffset + (usaCount * 2) > record.Length || (usaCount - 1) * sectorSize > record.Length)
        {
            return;
        }

        var usn = U16(record, usaOffset);
        for (var i = 1; i < usaCount; i++)
        {
            var end = (i * sectorSize) - 2;
            if (U16(record, end) != usn)
            {
                return;
            }
        }

        for (var i = 1; i < usaCount; i++)
        {
            var end = (i * sectorSize) - 2;
            record[end] = record[usaOffset + (i * 2)];
            record[end + 1] = record[usaOffset + (i * 2) + 1];
        }
    }

    private static ushort U16(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(b[offset..]);

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);
}
