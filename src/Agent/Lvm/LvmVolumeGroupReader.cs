namespace Imprint.Agent.Lvm;

/// <summary>
/// Turns parsed metadata text into an <see cref="LvmVolumeGroup"/>: exactly one VG section, its PVs and LVs, every
/// number range-checked so later arithmetic (extents × extent size) cannot overflow or point outside a PV.
/// </summary>
public static class LvmVolumeGroupReader
{
    private const int MaxVolumes = 4096;
    private const long MaxSectors = long.MaxValue / 512 / 4;

    public static LvmVolumeGroup Read(LvmConfigSection top)
    {
        ArgumentNullException.ThrowIfNull(top);
        var groups = top.Sections.ToList();
        if (groups.Count != 1)
        {
            throw MalformedLvm.Error($"the metadata text holds {groups.Count} volume group sections, not one");
        }

        var vg = groups[0];
        var extentSize = Number(vg, "extent_size", vg.Name, 1, 1L << 32);
        var seqno = Number(vg, "seqno", vg.Name, 0, long.MaxValue);
        var pvs = new List<LvmPhysicalVolume>();
        foreach (var pv in Children(vg, "physical_volumes"))
        {
            var devSize = Number(pv, "dev_size", pv.Name, 0, MaxSectors);
            var peStart = Number(pv, "pe_start", pv.Name, 0, MaxSectors);
            var peCount = Number(pv, "pe_count", pv.Name, 0, MaxSectors / extentSize);
            pvs.Add(new LvmPhysicalVolume(pv.Name, pv.String("id") ?? throw Missing(pv.Name, "id"), devSize, peStart, peCount));
        }

        var lvs = new List<LvmLogicalVolume>();
        foreach (var lv in Children(vg, "logical_volumes"))
        {
            var segments = lv.Sections.Select(s => Segment(s, lv.Name, pvs, extentSize)).OrderBy(s => s.StartExtent).ToList();
            lvs.Add(new LvmLogicalVolume(lv.Name, lv.String("id") ?? throw Missing(lv.Name, "id"), lv.Strings("status"), segments));
        }

        return new LvmVolumeGroup(vg.Name, vg.String("id") ?? throw Missing(vg.Name, "id"), seqno, extentSize, pvs, lvs, top);
    }

    private static List<LvmConfigSection> Children(LvmConfigSection vg, string name)
    {
        var children = vg.Section(name)?.Sections.ToList() ?? [];
        return children.Count <= MaxVolumes ? children : throw MalformedLvm.Error($"'{name}' of VG {vg.Name} lists {children.Count} entries, more than {MaxVolumes}");
    }

    private static LvmSegment Segment(LvmConfigSection segment, string lv, List<LvmPhysicalVolume> pvs, long extentSize)
    {
        var where = $"{lv}/{segment.Name}";
        var start = Number(segment, "start_extent", where, 0, MaxSectors / extentSize);
        var count = Number(segment, "extent_count", where, 1, MaxSectors / extentSize);
        var type = segment.String("type") ?? throw Missing(where, "type");
        var stripes = new List<LvmStripe>();
        if (type == "striped")
        {
            var list = segment.Value("stripes") is { Kind: LvmValueKind.List } value ? value.Items! : throw Missing(where, "stripes");
            var stripeCount = Number(segment, "stripe_count", where, 1, 1024);
            if (list.Count != stripeCount * 2 || count % stripeCount != 0)
            {
                throw MalformedLvm.Error($"segment {where} says {stripeCount} stripes but lists {list.Count / 2} for {count} extents");
            }

            for (var i = 0; i < list.Count; i += 2)
            {
                if (list[i].Kind != LvmValueKind.String || list[i + 1].Kind != LvmValueKind.Integer)
                {
                    throw MalformedLvm.Error($"segment {where} has a stripe that is not a PV name and an extent number");
                }

                var pv = pvs.FirstOrDefault(p => p.Key == list[i].Text) ?? throw MalformedLvm.Error($"segment {where} uses PV '{list[i].Text}', which the VG does not list");
                var first = list[i + 1].Integer;
                var perStripe = count / stripeCount;
                if (first < 0 || first > pv.PeCount || perStripe > pv.PeCount - first)
                {
                    throw MalformedLvm.Error($"segment {where} uses extents {first}–{first + perStripe - 1} of {pv.Key}, which holds {pv.PeCount}");
                }

                stripes.Add(new LvmStripe(pv.Key, first));
            }
        }

        return new LvmSegment(segment.Name, start, count, type, stripes);
    }

    private static long Number(LvmConfigSection section, string name, string where, long min, long max)
    {
        var value = section.Integer(name) ?? throw Missing(where, name);
        return value >= min && value <= max ? value : throw MalformedLvm.Error($"{where}: {name} = {value} is outside {min}–{max}");
    }

    private static Errors.ImprintException Missing(string where, string name) => MalformedLvm.Error($"{where} has no valid '{name}'");
}
