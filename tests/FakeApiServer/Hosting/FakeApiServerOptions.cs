namespace Imprint.Testing.FakeApiServer;

/// <summary>Behaviour switches for <see cref="FakeKubeApiServer"/>; defaults match a real API server.</summary>
public sealed record FakeApiServerOptions
{
    /// <summary>Create a namespace on first use instead of answering 404 for objects in a missing namespace.</summary>
    public bool AutoCreateNamespaces { get; init; } = true;

    /// <summary>Answer a watch from an expired resourceVersion with HTTP 410 instead of an ERROR event.</summary>
    public bool WatchGoneAsHttp410 { get; init; }

    /// <summary>How often idle watches that asked for bookmarks receive one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many events the watch history keeps before the oldest are compacted away.</summary>
    public int WatchHistoryCapacity { get; init; } = 1000;
}
