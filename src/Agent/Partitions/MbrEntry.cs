using System.Buffers.Binary;

namespace Imprint.Agent.Partitions;

/// <summary>One 16-byte MBR/EBR partition entry.</summary>
public sealed record MbrEntry(byte Status, byte Type, uint FirstLba, uint SectorCount)
{
    public bool IsEmpty => Type == 0 || SectorCount == 0;

    public bool IsExtended => Type is 0x05 or 0x0f or 0x85;

    public static MbrEntry Parse(ReadOnlySpan<byte> entry) => new(
        entry[0],
        entry[4],
        BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]));

    /// <summary>Offset of entry <paramref name="index"/> (0–3) inside a boot sector.</summary>
    public static int OffsetOf(int index) => 446 + (16 * index);

    public static bool HasBootSignature(ReadOnlySpan<byte> sector) => sector.Length >= 512 && sector[510] == 0x55 && sector[511] == 0xAA;
}
