using System.Buffers.Binary;

namespace Imprint.Agent.Lvm;

/// <summary>
/// The 512-byte <c>mda_header</c> at the start of a metadata area: checksum (over bytes 4..511), magic, version 1, the
/// area's own start and size, then raw locations (the first is the committed metadata). The rest of the area is a
/// circular buffer of metadata texts that wraps back to byte 512.
/// </summary>
public sealed record MetadataAreaHeader(long Start, long Size, IReadOnlyList<RawLocation> Locations)
{
    public const int HeaderSize = 512;
    private const int LocationsAt = 40;
    private static readonly byte[] Magic = " LVM2 x[5A%r0N*>"u8.ToArray();

    /// <summary>The committed metadata, or null when the area holds none yet.</summary>
    public RawLocation? Committed => Locations.Count > 0 ? Locations[0] : null;

    public static MetadataAreaHeader Parse(ReadOnlySpan<byte> header, LvmDiskArea area)
    {
        if (header.Length < HeaderSize)
        {
            throw MalformedLvm.Error($"the metadata area at byte {area.Offset} is shorter than its header");
        }

        if (LvmChecksum.Compute(header[4..HeaderSize]) != BinaryPrimitives.ReadUInt32LittleEndian(header))
        {
            throw MalformedLvm.Error($"the metadata area header at byte {area.Offset} of the PV has a wrong checksum");
        }

        if (!header.Slice(4, 16).SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) != 1)
        {
            throw MalformedLvm.Error($"the metadata area header at byte {area.Offset} of the PV has an unknown magic or version");
        }

        var start = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        if (start != (ulong)area.Offset || size != (ulong)area.Size || size <= HeaderSize)
        {
            throw MalformedLvm.Error($"the metadata area header at byte {area.Offset} says it covers {size} bytes at byte {start}; the PV label says {area.Size} bytes at byte {area.Offset}");
        }

        var locations = new List<RawLocation>();
        for (var at = LocationsAt; at + 24 <= HeaderSize; at += 24)
        {
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(header[at..]);
            if (offset == 0)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt64LittleEndian(header[(at + 8)..]);
            if (offset < HeaderSize || offset >= size || length == 0 || length > size - HeaderSize)
            {
                throw MalformedLvm.Error($"the metadata area at byte {area.Offset} points at {length} bytes of text at offset {offset}, outside its {size}-byte circular buffer");
            }

            locations.Add(new RawLocation((long)offset, (long)length, BinaryPrimitives.ReadUInt32LittleEndian(header[(at + 16)..]), BinaryPrimitives.ReadUInt32LittleEndian(header[(at + 20)..])));
        }

        return new MetadataAreaHeader((long)start, (long)size, locations);
    }

    /// <summary>This header with <paramref name="committed"/> as its only raw location, checksummed.</summary>
    public byte[] Encode(RawLocation committed)
    {
        var bytes = new byte[HeaderSize];
        Magic.CopyTo(bytes.AsSpan(4));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), (ulong)Start);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(32), (ulong)Size);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(LocationsAt), (ulong)committed.Offset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(LocationsAt + 8), (ulong)committed.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(LocationsAt + 16), committed.Checksum);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(LocationsAt + 20), committed.Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, LvmChecksum.Compute(bytes.AsSpan(4)));
        return bytes;
    }
}
