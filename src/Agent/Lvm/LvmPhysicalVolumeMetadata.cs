using Imprint.Agent.Disk;

namespace Imprint.Agent.Lvm;

/// <summary>
/// Everything LVM keeps on one PV: its label, its metadata areas and the volume group they describe (null for a PV
/// in no VG). The VG comes from the area with the highest seqno, as LVM itself picks it.
/// </summary>
public sealed record LvmPhysicalVolumeMetadata(ByteRange Range, LvmLabel Label, IReadOnlyList<LvmMetadataArea> Areas, LvmVolumeGroup? VolumeGroup)
{
    /// <summary>This PV's entry in its VG (matched by UUID).</summary>
    public LvmPhysicalVolume? Self => VolumeGroup?.PhysicalVolumes.FirstOrDefault(p => p.Id.Replace("-", string.Empty, StringComparison.Ordinal) == Label.PvUuid);

    /// <summary>Reads the PV in <paramref name="range"/>; null when it holds no LVM2 label. Malformed metadata is exit 4.</summary>
    public static LvmPhysicalVolumeMetadata? Read(DiskImage disk, ByteRange range)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var label = LvmLabel.Read(disk, range);
        if (label is null)
        {
            return null;
        }

        var areas = new List<LvmMetadataArea>();
        foreach (var area in label.MetadataAreas)
        {
            if (area.Size <= MetadataAreaHeader.HeaderSize)
            {
                throw MalformedLvm.Error($"the metadata area at byte {area.Offset} of the PV is only {area.Size} bytes");
            }

            var header = MetadataAreaHeader.Parse(disk.Read(new ByteRange(range.Offset + area.Offset, MetadataAreaHeader.HeaderSize)), area);
            var text = header.Committed is { IsIgnored: false } committed ? ReadText(disk, range, area, committed) : null;
            areas.Add(new LvmMetadataArea(area, header, text));
        }

        LvmVolumeGroup? newest = null;
        foreach (var text in areas.Where(a => a.Text is not null).Select(a => a.Text!))
        {
            var vg = LvmVolumeGroupReader.Read(LvmConfigParser.Parse(text));
            if (newest is null || vg.Seqno > newest.Seqno)
            {
                newest = vg;
            }
        }

        var metadata = new LvmPhysicalVolumeMetadata(range, label, areas, newest);
        if (newest is not null && metadata.Self is null)
        {
            throw MalformedLvm.Error($"VG {newest.Name} does not list the PV it was read from (UUID {label.PvUuidText})");
        }

        if (metadata.Self is { } self && (self.PeStartSectors + (self.PeCount * newest!.ExtentSizeSectors)) * 512 > range.Length)
        {
            throw MalformedLvm.Error(
                $"PV {self.Key} of VG {newest.Name} ends its extents at byte {(self.PeStartSectors + (self.PeCount * newest.ExtentSizeSectors)) * 512}, past the {range.Length}-byte partition holding it");
        }

        return metadata;
    }

    /// <summary>The text at <paramref name="location"/> of the circular buffer (wrapping to byte 512), checksum verified.</summary>
    private static byte[] ReadText(DiskImage disk, ByteRange range, LvmDiskArea area, RawLocation location)
    {
        if (location.Size > LvmConfigParser.MaxTextBytes)
        {
            throw MalformedLvm.Error($"the metadata text is {location.Size} bytes, more than the {LvmConfigParser.MaxTextBytes} Imprint reads");
        }

        var text = new byte[location.Size];
        var first = Math.Min(location.Size, area.Size - location.Offset);
        disk.ReadExactly(range.Offset + area.Offset + location.Offset, text.AsSpan(0, (int)first));
        if (first < location.Size)
        {
            disk.ReadExactly(range.Offset + area.Offset + MetadataAreaHeader.HeaderSize, text.AsSpan((int)first));
        }

        var crc = LvmChecksum.Compute(text);
        if (crc != location.Checksum)
        {
            throw MalformedLvm.Error($"the metadata text in the area at byte {area.Offset} has checksum 0x{crc:x8}, the header records 0x{location.Checksum:x8}");
        }

        return text;
    }
}
