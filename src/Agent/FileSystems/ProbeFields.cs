using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Imprint.Agent.FileSystems;

/// <summary>Decoding shared by the probes: UUIDs and labels the way libblkid formats them, and CRC32C.</summary>
internal static class ProbeFields
{
    /// <summary>A binary UUID as blkid prints it (lowercase 8-4-4-4-12); null when all zero, as blkid omits it then.</summary>
    public static string? Uuid(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.ContainsAnyExcept((byte)0))
        {
            return null;
        }

        var hex = Convert.ToHexStringLower(bytes[..16]);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>A fixed-size label field: up to the first NUL, trailing whitespace removed (blkid_probe_set_label).</summary>
    public static string? Label(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Trimmed(Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]));
    }

    /// <summary>A C string field (LUKS UUID): up to the first NUL, null when empty.</summary>
    public static string? CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        var text = Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
        return text.Length == 0 ? null : text;
    }

    public static string? Trimmed(string text)
    {
        var trimmed = text.TrimEnd(' ', '\t', '\n', '\v', '\f', '\r');
        return trimmed.Length == 0 ? null : trimmed;
    }

    public static bool HasAscii(ReadOnlySpan<byte> data, int offset, string ascii) =>
        offset >= 0 && offset + ascii.Length <= data.Length && data.Slice(offset, ascii.Length).SequenceEqual(Encoding.Latin1.GetBytes(ascii));

    /// <summary>Raw CRC32C (Castagnoli) update without pre/post inversion; callers apply what their format defines.</summary>
    public static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i, 8)));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}
