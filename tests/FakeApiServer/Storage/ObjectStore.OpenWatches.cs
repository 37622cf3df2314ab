namespace Imprint.Testing.FakeApiServer;

/// <summary>How many watch streams are open, by resource (plural.group), for tests that count a client's streams.</summary>
internal sealed partial class ObjectStore
{
    public IReadOnlyDictionary<string, int> OpenWatches()
    {
        lock (_gate)
        {
            return _watches.GroupBy(w => string.IsNullOrEmpty(w.Kind.Group) ? w.Kind.Plural : $"{w.Kind.Plural}.{w.Kind.Group}", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }
}
