namespace Imprint.Testing.FakeApiServer.Tests.Watch;

public sealed class WatchControlTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Drop_watch_connections_ends_open_streams()
    {
        await using var api = await TestApi.StartAsync();
        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true");
        await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");
        await watch.ReadEventAsync();

        api.Server.DropWatchConnections();
        var end = await watch.ReadLineAsync();

        Assert.Null(end);
    }

    [Fact]
    public async Task Injected_line_reaches_open_watches_verbatim()
    {
        await using var api = await TestApi.StartAsync();
        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true");
        await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");
        await watch.ReadEventAsync();

        api.Server.InjectWatchLine("{not json");
        var line = await watch.ReadLineAsync();

        Assert.Equal("{not json", line);
    }
}
