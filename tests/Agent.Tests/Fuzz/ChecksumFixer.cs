using System.Buffers.Binary;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// Recomputes the checksums a random mutation breaks (GPT header and entry-array CRC32s, the ext metadata_csum
/// superblock CRC32C), so mutated fields get past the CRC check and reach the code that uses them, as a hostile
/// image's would. Returns the byte ranges it rewrote.
/// </summary>
public static class ChecksumFixer
{
    private const int Sector = 512;

    public static List<(long Offset, int Length)> Fix(byte[] image, int length, long superblockOffset)
    {
        ArgumentNullException.ThrowIfNull(image);
        var touched = new List<(long Offset, int Length)>();
        foreach (var header in new long[] { Sector, length - Sector })
        {
            if (header >= Sector && header + Sector <= length && image.AsSpan((int)header, 8).SequenceEqual("EFI PART"u8))
            {
                FixGpt(image, length, (int)header, touched);
            }
        }

        if (superblockOffset > 0 && superblockOffset + 1024 <= length &&
            BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)superblockOffset + 0x38)) == 0xEF53 &&
            (BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)superblockOffset + 0x64)) & 0x400) != 0)
        {
            var sb = image.AsSpan((int)superblockOffset, 1024);
            BinaryPrimitives.WriteUInt32LittleEndian(sb[0x3FC..], ProbeFields.Crc32C(uint.MaxValue, sb[..0x3FC]));
            touched.Add((superblockOffset, 1024));
        }

        return touched;
    }

    private static void FixGpt(byte[] image, int length, int header, List<(long Offset, int Length)> touched)
    {
        var h = image.AsSpan(header, Sector);
        var entriesLba = BinaryPrimitives.ReadUInt64LittleEndian(h[72..]);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(h[80..]);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(h[84..]);
        var bytes = (ulong)count * size;
        if (entriesLba < (ulong)(length / Sector) && bytes <= 1024 * 1024 && (entriesLba * Sector) + bytes <= (ulong)length)
        {
            var entries = image.AsSpan((int)(entriesLba * Sector), (int)bytes);
            BinaryPrimitives.WriteUInt32LittleEndian(h[88..], Crc32.Compute(entries));
            touched.Add(((long)entriesLba * Sector, (int)bytes));
        }

        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(h[12..]);
        if (headerSize is >= 92 and <= Sector)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], Crc32.Compute(h[..(int)headerSize]));
        }

        touched.Add((header, Sector));
    }
}
