using System.Buffers.Binary;

namespace Imprint.Agent.Partitions;

/// <summary>A GPT header (UEFI spec 5.3.2) as stored in one sector. Parsing checks only the signature; the reader validates.</summary>
public sealed record GptHeader(
    uint Revision,
    uint HeaderSize,
    uint HeaderCrc,
    long MyLba,
    long AlternateLba,
    long FirstUsableLba,
    long LastUsableLba,
    Guid DiskGuid,
    long PartitionEntryLba,
    uint EntryCount,
    uint EntrySize,
    uint EntryArrayCrc)
{
    /// <summary>Revision 1.0, the only one in use.</summary>
    public const uint Revision1 = 0x00010000;

    /// <summary>Bytes of the header proper; the rest of the sector is reserved and zero.</summary>
    public const int MinimumSize = 92;

    public static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    /// <summary>Bytes of the entry array.</summary>
    public long EntryArrayBytes => (long)EntryCount * EntrySize;

    /// <summary>Sectors the entry array occupies.</summary>
    public long EntryArraySectors(int sectorSize) => (EntryArrayBytes + sectorSize - 1) / sectorSize;

    /// <summary>Parses a header; null when the sector does not start with "EFI PART".</summary>
    public static GptHeader? Parse(ReadOnlySpan<byte> sector)
    {
        if (sector.Length < MinimumSize || !sector[..8].SequenceEqual(Signature))
        {
            return null;
        }

        return new GptHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(sector[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[16..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[24..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[32..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[40..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[48..]),
            new Guid(sector.Slice(56, 16)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[72..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[80..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[84..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[88..]));
    }

    /// <summary>CRC32 of the first <paramref name="headerSize"/> bytes with the CRC field (bytes 16–19) taken as zero.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> sector, int headerSize)
    {
        var state = Crc32.Append(0xFFFFFFFFu, sector[..16]);
        state = Crc32.Append(state, [0, 0, 0, 0]);
        return ~Crc32.Append(state, sector[20..headerSize]);
    }

    /// <summary>Serializes into a zeroed sector (header size 92, reserved bytes zero) with a freshly computed CRC.</summary>
    public byte[] ToSector(int sectorSize)
    {
        var sector = new byte[sectorSize];
        var span = sector.AsSpan();
        Signature.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Revision);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], MinimumSize);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], (ulong)MyLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], (ulong)AlternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], (ulong)FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[48..], (ulong)LastUsableLba);
        DiskGuid.TryWriteBytes(span.Slice(56, 16));
        BinaryPrimitives.WriteUInt64LittleEndian(span[72..], (ulong)PartitionEntryLba);
        BinaryPrimitives.WriteUInt32LittleEndian(span[80..], EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[84..], EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[88..], EntryArrayCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], ComputeCrc(span, MinimumSize));
        return sector;
    }
}
