using System.Buffers.Binary;

namespace Imprint.Agent.Partitions;

/// <summary>One 16-byte MBR/EBR partition entry.</summary>
public sealed record MbrEntry(byte Status, byte Type, uint FirstLba, uint SectorCount)
{
    public const byte ProtectiveType = 0xEE;

    public bool IsEmpty => Type == 0 || SectorCount == 0;

    public bool IsExtended => IsExtendedType(Type);

    public static bool IsExtendedType(byte type) => type is 0x05 or 0x0f or 0x85;

    public static MbrEntry Parse(ReadOnlySpan<byte> entry) => new(
        entry[0],
        entry[4],
        BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]));

    /// <summary>Offset of entry <paramref name="index"/> (0–3) inside a boot sector.</summary>
    public static int OffsetOf(int index) => 446 + (16 * index);

    public static bool HasBootSignature(ReadOnlySpan<byte> sector) => sector.Length >= 512 && sector[510] == 0x55 && sector[511] == 0xAA;

    /// <summary>
    /// Encodes <paramref name="lba"/> as the 3 CHS bytes of an entry with the 255-head, 63-sector geometry fdisk uses;
    /// past cylinder 1023 it writes the conventional "beyond CHS" marker 1023/254/63, as fdisk does.
    /// </summary>
    public static void EncodeChs(long lba, Span<byte> chs)
    {
        const int Heads = 255;
        const int Sectors = 63;
        var cylinder = lba / (Heads * Sectors);
        var head = (lba / Sectors) % Heads;
        var sector = (lba % Sectors) + 1;
        if (cylinder > 1023)
        {
            (cylinder, head, sector) = (1023, 254, 63);
        }

        chs[0] = (byte)head;
        chs[1] = (byte)(sector | ((cylinder >> 2) & 0xC0));
        chs[2] = (byte)(cylinder & 0xFF);
    }
}
