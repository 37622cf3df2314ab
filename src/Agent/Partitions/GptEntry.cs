using System.Buffers.Binary;
using System.Text;

namespace Imprint.Agent.Partitions;

/// <summary>One GPT partition entry (UEFI spec 5.3.3).</summary>
public sealed record GptEntry(Guid Type, Guid Unique, long FirstLba, long LastLba, ulong Attributes, string Name)
{
    /// <summary>Attribute bit 2: legacy BIOS bootable.</summary>
    public const ulong LegacyBiosBootable = 1ul << 2;

    public bool IsUsed => Type != Guid.Empty;

    public static GptEntry Parse(ReadOnlySpan<byte> entry)
    {
        var name = Encoding.Unicode.GetString(entry.Slice(56, 72));
        var end = name.IndexOf('\0', StringComparison.Ordinal);
        return new GptEntry(
            new Guid(entry[..16]),
            new Guid(entry.Slice(16, 16)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[48..]),
            end >= 0 ? name[..end] : name);
    }

    /// <summary>Writes only the last-LBA field into an existing raw entry, so every other byte is kept exactly.</summary>
    public static void WriteLastLba(Span<byte> entry, long lastLba) =>
        BinaryPrimitives.WriteUInt64LittleEndian(entry[40..], (ulong)lastLba);
}
