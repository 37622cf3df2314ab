namespace Imprint.Agent.Lvm;

/// <summary>A logical volume: name, UUID, status flags and segments in logical-extent order.</summary>
public sealed record LvmLogicalVolume(string Name, string Id, IReadOnlyList<string> Status, IReadOnlyList<LvmSegment> Segments)
{
    /// <summary>Hidden LVs are the inner parts of thin pools, mirrors and raids, never a guest's root.</summary>
    public bool IsVisible => Status.Contains("VISIBLE");

    public long ExtentCount => Segments.Sum(s => s.ExtentCount);
}
