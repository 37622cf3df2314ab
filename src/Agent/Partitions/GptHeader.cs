using System.Buffers.Binary;

namespace Imprint.Agent.Partitions;

/// <summary>A GPT header (UEFI spec 5.3.2), parsed from and written to one sector.</summary>
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
    int EntryCount,
    int EntrySize,
    uint EntryArrayCrc)
{
    public static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    /// <summary>Parses a header; null when the signature is missing or fields are out of range.</summary>
    public static GptHeader? Parse(ReadOnlySpan<byte> sector)
    {
        if (sector.Length < 92 || !sector[..8].SequenceEqual(Signature))
        {
            return null;
        }

        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(sector[12..]);
        var entryCount = BinaryPrimitives.ReadUInt32LittleEndian(sector[80..]);
        var entrySize = BinaryPrimitives.ReadUInt32LittleEndian(sector[84..]);
        if (headerSize < 92 || headerSize > sector.Length || entryCount > 65536 || entrySize < 128 || entrySize > 4096 || entrySize % 8 != 0)
        {
            return null;
        }

        return new GptHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(sector[8..]),
            headerSize,
            BinaryPrimitives.ReadUInt32LittleEndian(sector[16..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[24..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[32..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[40..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[48..]),
            new Guid(sector.Slice(56, 16)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[72..]),
            (int)entryCount,
            (int)entrySize,
            BinaryPrimitives.ReadUInt32LittleEndian(sector[88..]));
    }

    /// <summary>True when the stored CRC matches the header bytes (CRC field taken as zero).</summary>
    public static bool HasValidCrc(ReadOnlySpan<byte> sector, GptHeader header)
    {
        Span<byte> copy = stackalloc byte[(int)header.HeaderSize];
        sector[..(int)header.HeaderSize].CopyTo(copy);
        copy.Slice(16, 4).Clear();
        return Crc32.Compute(copy) == header.HeaderCrc;
    }

    /// <summary>Serializes into a zeroed sector, computing the header CRC.</summary>
    public byte[] ToSector(int sectorSize)
    {
        var sector = new byte[sectorSize];
        var span = sector.AsSpan();
        Signature.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Revision);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], 92);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], (ulong)MyLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], (ulong)AlternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], (ulong)FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[48..], (ulong)LastUsableLba);
        DiskGuid.TryWriteBytes(span.Slice(56, 16));
        BinaryPrimitives.WriteUInt64LittleEndian(span[72..], (ulong)PartitionEntryLba);
        BinaryPrimitives.WriteUInt32LittleEndian(span[80..], (uint)EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[84..], (uint)EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[88..], EntryArrayCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], Crc32.Compute(span[..92]));
        return sector;
    }
}
