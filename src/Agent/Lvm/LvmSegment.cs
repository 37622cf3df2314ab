namespace Imprint.Agent.Lvm;

/// <summary>
/// A segment of a logical volume: logical extents [StartExtent, StartExtent + ExtentCount) of the LV, of a segment type
/// ("striped" with one stripe is linear; mirror, raid*, thin, snapshot, cache, vdo… are other layouts).
/// </summary>
/// <param name="Stripes">The areas of a "striped" segment; empty for every other type.</param>
public sealed record LvmSegment(string Key, long StartExtent, long ExtentCount, string Type, IReadOnlyList<LvmStripe> Stripes)
{
    public bool IsLinear => Type == "striped" && Stripes.Count == 1;
}
