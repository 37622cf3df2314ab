using System.Buffers.Binary;
using System.Text;
using Imprint.Agent.Disk;

namespace Imprint.Agent.Lvm;

/// <summary>
/// The LVM2 physical volume label: a <c>label_header</c> ("LABELONE", its own sector number, a CRC over bytes 20..511,
/// the offset of its contents, "LVM2 001") in one of the PV's first four sectors, followed by the <c>pv_header</c>: PV
/// UUID, device size, then the zero-terminated lists of data areas and metadata areas.
/// </summary>
/// <param name="Sector">Which of sectors 0–3 holds the label.</param>
/// <param name="PvUuid">The 32-character UUID as stored (no dashes).</param>
/// <param name="DeviceSize">The PV size in bytes the label records.</param>
/// <param name="DataAreas">Data areas (LVM writes exactly one: where extents start, size 0 = to the end).</param>
/// <param name="MetadataAreas">Metadata areas (0, 1 or 2: the second, when present, sits at the PV's end).</param>
/// <param name="Bytes">The label sector as read, for rewriting it with a new device size.</param>
public sealed record LvmLabel(int Sector, string PvUuid, long DeviceSize, IReadOnlyList<LvmDiskArea> DataAreas, IReadOnlyList<LvmDiskArea> MetadataAreas, byte[] Bytes)
{
    public const int SectorSize = 512;
    private const int CrcStart = 20;
    private const int MaxAreas = 8;

    /// <summary>The UUID as LVM prints it (6-4-4-4-4-4-6).</summary>
    public string PvUuidText => FormatUuid(PvUuid);

    /// <summary>The label of the PV in <paramref name="pv"/>, null when there is none; a label whose areas make no sense is exit 4.</summary>
    public static LvmLabel? Read(DiskImage disk, ByteRange pv)
    {
        ArgumentNullException.ThrowIfNull(disk);
        for (var sector = 0; sector < 4; sector++)
        {
            if ((sector + 1L) * SectorSize > pv.Length || pv.Offset + ((sector + 1L) * SectorSize) > disk.Length)
            {
                return null;
            }

            var bytes = disk.Read(new ByteRange(pv.Offset + (sector * SectorSize), SectorSize));
            if (!HasHeader(bytes, sector))
            {
                continue;
            }

            return Parse(bytes, sector, pv.Length);
        }

        return null;
    }

    /// <summary>The label sector with <paramref name="newDeviceSize"/> and its CRC recomputed.</summary>
    public byte[] WithDeviceSize(long newDeviceSize)
    {
        var bytes = (byte[])Bytes.Clone();
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset + 32), (ulong)newDeviceSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), LvmChecksum.Compute(bytes.AsSpan(CrcStart)));
        return bytes;
    }

    /// <summary>
    /// The label sector with <paramref name="newDeviceSize"/>, metadata area <paramref name="areaIndex"/> moved to
    /// <paramref name="newAreaOffset"/> (pvresize moving the area kept at the PV's end), and its CRC recomputed.
    /// </summary>
    public byte[] WithDeviceSizeAndMovedArea(long newDeviceSize, int areaIndex, long newAreaOffset)
    {
        var bytes = WithDeviceSize(newDeviceSize);
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)) + 40 + ((DataAreas.Count + 1 + areaIndex) * 16);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), (ulong)newAreaOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), LvmChecksum.Compute(bytes.AsSpan(CrcStart)));
        return bytes;
    }

    public static string FormatUuid(string id) =>
        id.Length == 32 ? $"{id[..6]}-{id[6..10]}-{id[10..14]}-{id[14..18]}-{id[18..22]}-{id[22..26]}-{id[26..]}" : id;

    private static bool HasHeader(byte[] bytes, int sector) =>
        bytes.AsSpan(0, 8).SequenceEqual("LABELONE"u8) &&
        bytes.AsSpan(24, 8).SequenceEqual("LVM2 001"u8) &&
        BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)) == (ulong)sector &&
        LvmChecksum.Compute(bytes.AsSpan(CrcStart)) == BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));

    private static LvmLabel Parse(byte[] bytes, int sector, long pvLength)
    {
        var contents = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20));
        if (contents < 32 || contents > SectorSize - 56)
        {
            throw MalformedLvm.Error($"the PV label in sector {sector} places its header at byte {contents}, outside the label sector");
        }

        var at = (int)contents;
        var uuid = Encoding.ASCII.GetString(bytes, at, 32);
        if (!uuid.All(char.IsAsciiLetterOrDigit))
        {
            throw MalformedLvm.Error($"the PV UUID in sector {sector} holds characters LVM never writes");
        }

        var deviceSize = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 32));
        at += 40;
        var data = ReadList(bytes, ref at, "data", pvLength);
        var metadata = ReadList(bytes, ref at, "metadata", pvLength);
        if (deviceSize == 0 || deviceSize > long.MaxValue)
        {
            throw MalformedLvm.Error($"the PV label records a device size of {deviceSize} bytes");
        }

        return new LvmLabel(sector, uuid, (long)deviceSize, data, metadata, bytes);
    }

    private static List<LvmDiskArea> ReadList(byte[] bytes, ref int at, string what, long pvLength)
    {
        var areas = new List<LvmDiskArea>();
        while (true)
        {
            if (at + 16 > SectorSize)
            {
                throw MalformedLvm.Error($"the PV label's list of {what} areas runs past the label sector");
            }

            var offset = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            var size = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 8));
            at += 16;
            if (offset == 0)
            {
                return areas;
            }

            if (areas.Count == MaxAreas || offset >= (ulong)pvLength || size > (ulong)pvLength - offset)
            {
                throw MalformedLvm.Error($"the PV label's {what} area at byte {offset} ({size} bytes) lies outside the {pvLength}-byte physical volume");
            }

            areas.Add(new LvmDiskArea((long)offset, (long)size));
        }
    }
}
