using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Partitions;

/// <summary>Byte-level edits and tool read-backs the partition tests share (corrupting, enlarging, hybridising images).</summary>
public static class PartitionTestImages
{
    public const long MiB = TestDisks.MiB;

    public static void Enlarge(string image, long bytes)
    {
        using var stream = new FileStream(image, FileMode.Open);
        stream.SetLength(bytes);
    }

    public static void FlipByte(string image, long offset)
    {
        using var stream = new FileStream(image, FileMode.Open);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0xFF));
    }

    public static byte[] ReadBytes(string image, long offset, int count)
    {
        using var stream = new FileStream(image, FileMode.Open, FileAccess.Read);
        stream.Position = offset;
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    public static void WriteBytes(string image, long offset, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(image, FileMode.Open);
        stream.Position = offset;
        stream.Write(bytes);
    }

    /// <summary>Adds a second MBR entry mirroring sectors 2048..+8 MiB as type 0x07 next to the 0xEE entry: a hybrid MBR.</summary>
    public static void MakeHybrid(string image)
    {
        var entry = new byte[16];
        entry[4] = 0x07;
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 2048u);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), 16384u);
        WriteBytes(image, 446 + 16, entry);
    }

    /// <summary>Rewrites a GPT header field (at <paramref name="fieldOffset"/> inside the header) and fixes its CRC, so only the field is wrong.</summary>
    public static void SetHeaderField(string image, long headerOffset, int fieldOffset, ulong value)
    {
        var header = ReadBytes(image, headerOffset, 92);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(fieldOffset), value);
        header.AsSpan(16, 4).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), BitwiseCrc32(header));
        WriteBytes(image, headerOffset, header);
    }

    /// <summary>A slow bitwise CRC-32, independent of the table-driven one under test.</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }

    /// <summary>The MyLBA field of the GPT header stored in the last sector, or null when that sector holds none.</summary>
    public static long? HeaderLbaAt(string image, long offset)
    {
        var sector = ReadBytes(image, offset, 92);
        return sector.AsSpan(0, 8).SequenceEqual("EFI PART"u8) ? (long)BinaryPrimitives.ReadUInt64LittleEndian(sector.AsSpan(24)) : null;
    }

    /// <summary>The size field of the MBR's 0xEE entry.</summary>
    public static uint ProtectiveMbrSize(string image)
    {
        var mbr = ReadBytes(image, 0, 512);
        for (var i = 0; i < 4; i++)
        {
            if (mbr[446 + (16 * i) + 4] == 0xEE)
            {
                return BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(446 + (16 * i) + 12));
            }
        }

        throw new InvalidOperationException($"{image} has no protective MBR entry");
    }

    /// <summary>Partition <paramref name="number"/> as <c>sgdisk -i</c> prints it.</summary>
    public static ToolPartition Sgdisk(string image, int number)
    {
        var text = Sh.Run("sgdisk", $"-i{number}", image);
        string Field(string label) => text.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();
        var first = long.Parse(Field("First sector:").Split(' ')[0], CultureInfo.InvariantCulture);
        var last = long.Parse(Field("Last sector:").Split(' ')[0], CultureInfo.InvariantCulture);
        var attributes = ulong.Parse(Field("Attribute flags:"), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new ToolPartition(
            number,
            first,
            last - first + 1,
            Field("Partition GUID code:").Split(' ')[0].ToLowerInvariant(),
            Field("Partition unique GUID:").ToLowerInvariant(),
            Field("Partition name:").Trim('\''),
            attributes,
            (attributes & 4) != 0);
    }

    /// <summary>All partitions as <c>sfdisk --json</c> reads them (sectors), with the disk id.</summary>
    public static (string Id, IReadOnlyList<ToolPartition> Partitions) Sfdisk(string image)
    {
        using var doc = JsonDocument.Parse(Sh.Run("sfdisk", "--json", image));
        var table = doc.RootElement.GetProperty("partitiontable");
        var partitions = table.GetProperty("partitions").EnumerateArray().Select(p =>
        {
            var node = p.GetProperty("node").GetString()!;
            return new ToolPartition(
                int.Parse(node[image.Length..], CultureInfo.InvariantCulture),
                p.GetProperty("start").GetInt64(),
                p.GetProperty("size").GetInt64(),
                p.GetProperty("type").GetString()!.ToLowerInvariant(),
                p.TryGetProperty("uuid", out var uuid) ? uuid.GetString()!.ToLowerInvariant() : null,
                p.TryGetProperty("name", out var name) ? name.GetString() : null,
                0,
                p.TryGetProperty("bootable", out var boot) && boot.GetBoolean());
        }).ToList();
        return (table.GetProperty("id").GetString()!.ToLowerInvariant(), partitions);
    }

    /// <summary>Runs <c>fdisk -b 4096 -l</c>; returns stdout and stderr (fdisk prints table problems on stderr).</summary>
    public static (string Listing, string Problems) Fdisk4K(string image)
    {
        var result = Sh.RunResult("fdisk", ["-b", "4096", "-l", "-o", "Device,Start,End,Type-UUID,UUID", image]);
        return (result.StandardOutput, result.StandardError.Trim());
    }
}
