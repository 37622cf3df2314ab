using System.Buffers.Binary;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Lvm;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// Recomputes the checksums a random mutation breaks (GPT header and entry-array CRC32s, the ext metadata_csum
/// superblock CRC32C, the LVM2 label, metadata area header and metadata text checksums), so mutated fields get past the CRC check and reach the code that uses them, as a hostile
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

        // An LVM2 label in one of the first sectors of a PV: the fuzz seeds put their PV at 1 MiB.
        for (var sector = 0L; sector < Math.Min(length, 4 * 1024 * 1024) / Sector; sector++)
        {
            var at = (int)(sector * Sector);
            if (image.AsSpan(at, 8).SequenceEqual("LABELONE"u8))
            {
                touched.AddRange(FixLvm(image.AsSpan(0, length), at));
            }
        }

        return touched;
    }

    /// <summary>
    /// Re-checksums an LVM2 PV whose label is at byte <paramref name="label"/> of <paramref name="image"/>: each metadata
    /// area's committed text and header (when their fields still point inside the image), then the label itself.
    /// </summary>
    public static List<(long Offset, int Length)> FixLvm(Span<byte> image, int label)
    {
        var touched = new List<(long Offset, int Length)> { (label, Sector) };
        var l = image.Slice(label, Sector);
        var pvStart = label - ((long)BinaryPrimitives.ReadUInt64LittleEndian(l[8..]) * Sector);
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(l[20..]) + 40;
        for (var list = 0; list < 2 && at is >= 72 and <= Sector - 16; list++)
        {
            for (; at + 16 <= Sector; at += 16)
            {
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(l[at..]);
                if (offset == 0)
                {
                    at += 16;
                    break;
                }

                if (list == 1 && pvStart >= 0 && offset < (ulong)image.Length && pvStart + (long)offset + Sector <= image.Length)
                {
                    var header = image.Slice((int)(pvStart + (long)offset), Sector);
                    var textAt = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
                    var textSize = BinaryPrimitives.ReadUInt64LittleEndian(header[48..]);
                    var textStart = pvStart + (long)offset + (long)Math.Min(textAt, (ulong)image.Length);
                    if (textSize < 1024 * 1024 && textStart + (long)textSize <= image.Length)
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(header[56..], LvmChecksum.Compute(image.Slice((int)textStart, (int)textSize)));
                    }

                    BinaryPrimitives.WriteUInt32LittleEndian(header, LvmChecksum.Compute(header[4..]));
                    touched.Add((pvStart + (long)offset, Sector));
                }
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(l[16..], LvmChecksum.Compute(l[20..]));
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
