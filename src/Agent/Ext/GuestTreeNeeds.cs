namespace Imprint.Agent.Ext;

/// <summary>What a resolution step found missing from the cache; one debugfs session fetches all of it.</summary>
internal sealed class GuestTreeNeeds
{
    public HashSet<uint> Listings { get; } = [];

    public HashSet<uint> LinkTargets { get; } = [];

    /// <summary>Directory paths to list speculatively by name, so a deep path costs one session instead of one per level.</summary>
    public HashSet<string> PrefetchPaths { get; } = new(StringComparer.Ordinal);

    public bool Any => Listings.Count > 0 || LinkTargets.Count > 0 || PrefetchPaths.Count > 0;
}
