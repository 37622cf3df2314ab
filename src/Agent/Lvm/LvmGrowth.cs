using System.Globalization;
using System.Text;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Lvm;

/// <summary>
/// pvresize and lvextend in our own code, for the layout where that is cheap and safe: one PV whose metadata areas lie
/// before its extents (and at most one after them, at its end, which moves to the new end), and a linear, contiguous LV whose last extent is followed by free extents up to the PV's new
/// end. The new metadata (seqno + 1, dev_size, pe_count, the last segment's extent_count) is written after the current
/// text in each area's circular buffer, flushed, and only then committed by rewriting the area header; a run killed
/// before that leaves the old metadata in force. Any other layout is refused (exit 5) for the libguestfs engine.
/// </summary>
public static class LvmGrowth
{
    /// <summary>Plans growing <paramref name="volume"/> into a PV that will be <paramref name="newPvLength"/> bytes long.</summary>
    public static LvmGrowPlan Plan(LvmPhysicalVolumeMetadata pv, LvmVolumeLocation volume, long newPvLength, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pv);
        ArgumentNullException.ThrowIfNull(volume);
        var vg = pv.VolumeGroup ?? throw ImprintException.Unsupported("the physical volume belongs to no volume group");
        var self = pv.Self!;
        if (volume.Range is not { } range)
        {
            throw NotNative(volume, volume.NativeProblem!);
        }

        var peStartBytes = self.PeStartSectors * 512;
        var extentsEnd = peStartBytes + (self.PeCount * vg.ExtentBytes);
        var tails = pv.Label.MetadataAreas.Select((area, index) => (Area: area, Index: index)).Where(a => a.Area.Offset >= peStartBytes).ToList();
        if (tails.Count > 1 || tails.Any(t => t.Area.Offset < extentsEnd) || pv.Label.MetadataAreas.Any(a => a.Offset < peStartBytes && a.Offset + a.Size > peStartBytes))
        {
            throw NotNative(volume, "its PV's metadata areas overlap its extents or there is more than one after them");
        }

        if (pv.Areas.All(a => a.Text is null))
        {
            throw NotNative(volume, "its PV holds no metadata area of its own");
        }

        // A metadata area kept at the PV's end (pvcreate --metadatacopies 2) moves to the new end; extents stop before it.
        int? tailIndex = tails.Count == 1 ? tails[0].Index : null;
        long? newTailOffset = tailIndex is { } t ? ((newPvLength - pv.Label.MetadataAreas[t].Size) / 4096 * 4096) : null;
        if (newTailOffset is { } moved && moved < pv.Label.MetadataAreas[tailIndex!.Value].Offset)
        {
            throw NotNative(volume, "the PV's end-of-device metadata area would have to move backwards");
        }

        var newDevSize = newPvLength / 512;
        var extentLimit = newTailOffset is { } tailAt ? tailAt / 512 : newDevSize;
        var newPeCount = Math.Max(self.PeCount, (extentLimit - self.PeStartSectors) / vg.ExtentSizeSectors);
        var lv = vg.LogicalVolumes.First(l => l.Name == volume.Name);
        var last = lv.Segments[^1];
        var end = last.Stripes[0].StartExtent + last.ExtentCount;

        // The LV may grow up to the first extent another LV uses after it.
        var limit = vg.LogicalVolumes.Where(l => l.Name != lv.Name)
            .SelectMany(l => l.Segments)
            .Where(s => s.IsLinear || s.Stripes.Count > 0)
            .SelectMany(s => s.Stripes.Select(st => (st.PvKey, st.StartExtent)))
            .Where(st => st.PvKey == self.Key && st.StartExtent >= end)
            .Select(st => st.StartExtent)
            .DefaultIfEmpty(newPeCount)
            .Min();
        if (vg.LogicalVolumes.Any(l => l.Name != lv.Name && l.Segments.Any(s => s.Stripes.Count == 0)))
        {
            throw NotNative(volume, "another LV of its VG is not striped/linear, so which extents are free cannot be told natively");
        }

        var added = Math.Max(0, Math.Min(limit, newPeCount) - end);
        if (added == 0 && newPeCount > end && limit == end)
        {
            throw NotNative(volume, $"LV {string.Join(", ", vg.LogicalVolumes.Where(l => l.Segments.Any(s => s.Stripes.Any(st => st.PvKey == self.Key && st.StartExtent == end))).Select(l => l.Name))} follows it on the PV, so growing it would need a second, non-contiguous segment");
        }

        var config = vg.Config.Clone();
        var vgSection = config.Sections.Single();
        vgSection.Set("seqno", LvmConfigValue.FromInteger(vg.Seqno + 1));
        var pvSection = vgSection.Section("physical_volumes")!.Section(self.Key)!;
        pvSection.Set("dev_size", LvmConfigValue.FromInteger(newDevSize));
        pvSection.Set("pe_count", LvmConfigValue.FromInteger(newPeCount));
        if (added > 0)
        {
            var segment = vgSection.Section("logical_volumes")!.Section(lv.Name)!.Section(last.Key)!;
            segment.Set("extent_count", LvmConfigValue.FromInteger(last.ExtentCount + added));
        }

        config.Set("description", LvmConfigValue.FromString($"Written by imprint resize: pvresize {self.Key}, lvextend {volume.FullName} by {added} extents"));
        config.Set("creation_time", LvmConfigValue.FromInteger(now.ToUnixTimeSeconds()));
        var text = Encoding.UTF8.GetBytes(LvmConfigWriter.Write(config) + "\0");
        var newRange = new ByteRange(range.Offset, range.Length + (added * vg.ExtentBytes));
        return new LvmGrowPlan(pv, volume, newPvLength, newPeCount, added, newRange, text, tailIndex, newTailOffset);
    }

    /// <summary>
    /// Writes the plan into the PV (which must already be <see cref="LvmGrowPlan.NewPvLength"/> bytes): the label's
    /// device size, then each area's new text, flushed, then each area's header pointing at it.
    /// </summary>
    public static void Apply(DiskImage disk, LvmGrowPlan plan)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.HasWork)
        {
            return;
        }

        var pvOffset = plan.Pv.Range.Offset;
        var current = LvmPhysicalVolumeMetadata.Read(disk, new ByteRange(pvOffset, plan.NewPvLength));
        if (current?.VolumeGroup?.Seqno != plan.Pv.VolumeGroup!.Seqno)
        {
            throw ImprintException.Conflict($"the LVM metadata of VG {plan.Pv.VolumeGroup.Name} changed since the grow was planned; plan again");
        }

        var commits = new List<(long Offset, byte[] Header)>();
        var tail = plan.MovedTailArea is { } tailIndex ? current.Areas[tailIndex] : null;
        foreach (var area in current.Areas.Where(a => a.Text is not null && !ReferenceEquals(a, tail)))
        {
            var old = area.Header.Committed!.Value;
            var room = area.Area.Size - MetadataAreaHeader.HeaderSize;

            // After the current text, on a 512-byte boundary, wrapping to byte 512 of the area like LVM; the new text
            // must fit in the free part of the ring so the committed one stays intact until the header switches.
            var next = MetadataAreaHeader.HeaderSize + (AlignUp(old.Offset + old.Size - MetadataAreaHeader.HeaderSize, 512) % room);
            var free = (old.Offset - next + room) % room;
            if (plan.NewText.Length > free)
            {
                throw ImprintException.Unsupported($"the new LVM metadata ({plan.NewText.Length} bytes) does not fit next to the current one in the {area.Area.Size}-byte metadata area");
            }

            var baseOffset = pvOffset + area.Area.Offset;
            var first = (int)Math.Min(plan.NewText.Length, area.Area.Size - next);
            disk.Write(baseOffset + next, plan.NewText.AsSpan(0, first));
            if (first < plan.NewText.Length)
            {
                disk.Write(baseOffset + MetadataAreaHeader.HeaderSize, plan.NewText.AsSpan(first));
            }

            var location = new RawLocation(next, plan.NewText.Length, LvmChecksum.Compute(plan.NewText), old.Flags);
            commits.Add((baseOffset, area.Header.Encode(location)));
        }

        var label = current.Label.WithDeviceSize(plan.NewPvLength);
        if (tail is not null)
        {
            // The moved area is written whole (header and text) in space the old PV did not reach, and only becomes
            // LVM's once the label points at it.
            var newOffset = plan.NewTailAreaOffset!.Value;
            if (plan.NewText.Length > tail.Area.Size - MetadataAreaHeader.HeaderSize)
            {
                throw ImprintException.Unsupported($"the new LVM metadata ({plan.NewText.Length} bytes) does not fit the {tail.Area.Size}-byte metadata area at the PV's end");
            }

            var header = new MetadataAreaHeader(newOffset, tail.Area.Size, []);
            var flags = tail.Header.Committed?.Flags ?? 0;
            disk.Write(pvOffset + newOffset + MetadataAreaHeader.HeaderSize, plan.NewText);
            disk.Write(pvOffset + newOffset, header.Encode(new RawLocation(MetadataAreaHeader.HeaderSize, plan.NewText.Length, LvmChecksum.Compute(plan.NewText), flags)));
            disk.Flush();
            label = current.Label.WithDeviceSizeAndMovedArea(plan.NewPvLength, plan.MovedTailArea!.Value, newOffset);
        }

        disk.Write(pvOffset + (current.Label.Sector * LvmLabel.SectorSize), label);
        disk.Flush();
        foreach (var (offset, header) in commits)
        {
            disk.Write(offset, header);
        }

        disk.Flush();
    }

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    private static ImprintException NotNative(LvmVolumeLocation volume, string why) => ImprintException.Unsupported(
        string.Create(CultureInfo.InvariantCulture, $"growing LVM LV {volume.FullName} natively is not safe: {why}; the libguestfs engine (pvresize, lvextend) handles this layout"));
}
