namespace Imprint.Testing.FakeApiServer;

/// <summary>Open watch streams, as a test that bounds a client's connections sees them.</summary>
public sealed partial class FakeKubeApiServer
{
    /// <summary>Watch streams open now, by resource (<c>plural</c> for the core group, else <c>plural.group</c>).</summary>
    public IReadOnlyDictionary<string, int> OpenWatches => _store.OpenWatches();
}
