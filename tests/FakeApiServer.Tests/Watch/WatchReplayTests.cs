namespace Imprint.Testing.FakeApiServer.Tests.Watch;

public sealed class WatchReplayTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Watch_from_a_resource_version_replays_later_events_then_follows()
    {
        await using var api = await TestApi.StartAsync();
        var first = await api.CreateAsync(Path, """{"metadata":{"name":"c1"}}""");
        await api.CreateAsync(Path, """{"metadata":{"name":"c2"}}""");
        await api.PatchAsync($"{Path}/c1", """{"data":{"k":"v"}}""");
        var since = (string)first["metadata"]!["resourceVersion"]!;

        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true&resourceVersion={since}");
        var added = await watch.ReadEventAsync();
        var modified = await watch.ReadEventAsync();
        await api.DeleteAsync($"{Path}/c2");
        var deleted = await watch.ReadEventAsync();

        Assert.Equal("ADDED", (string?)added["type"]);
        Assert.Equal("c2", (string?)added["object"]!["metadata"]!["name"]);
        Assert.Equal("MODIFIED", (string?)modified["type"]);
        Assert.Equal("v", (string?)modified["object"]!["data"]!["k"]);
        Assert.Equal("DELETED", (string?)deleted["type"]);
        Assert.Equal("c2", (string?)deleted["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_synthetic_added_events()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c1"}}""");
        await api.CreateAsync(Path, """{"metadata":{"name":"c2"}}""");

        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=1&resourceVersion=0");
        var events = new[] { await watch.ReadEventAsync(), await watch.ReadEventAsync() };

        Assert.All(events, e => Assert.Equal("ADDED", (string?)e["type"]));
        Assert.Equal(["c1", "c2"], events.Select(e => (string?)e["object"]!["metadata"]!["name"]));
    }

    [Fact]
    public async Task Label_selected_watch_sees_objects_leave_as_deleted()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c","labels":{"app":"x"}}}""");

        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true&labelSelector=app%3Dx");
        var initial = await watch.ReadEventAsync();
        await api.PatchAsync($"{Path}/c", """{"metadata":{"labels":{"app":"y"}}}""");
        var left = await watch.ReadEventAsync();

        Assert.Equal("ADDED", (string?)initial["type"]);
        Assert.Equal("DELETED", (string?)left["type"]);
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_stream()
    {
        await using var api = await TestApi.StartAsync();

        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true&timeoutSeconds=1");
        var line = await watch.ReadLineAsync(TimeSpan.FromSeconds(5));

        Assert.Null(line);
    }
}
