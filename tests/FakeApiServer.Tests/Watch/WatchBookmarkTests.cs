using System.Globalization;

namespace Imprint.Testing.FakeApiServer.Tests.Watch;

public sealed class WatchBookmarkTests
{
    [Fact]
    public async Task Idle_watch_with_bookmarks_gets_bookmark_at_current_resource_version()
    {
        await using var api = await TestApi.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        var created = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");
        await api.CreateAsync("/api/v1/namespaces/a/secrets", """{"metadata":{"name":"s"}}""");
        var rv = (string)created["metadata"]!["resourceVersion"]!;

        await using var watch = await WatchReader.OpenAsync(api.Client, $"/api/v1/namespaces/a/configmaps?watch=true&resourceVersion={rv}&allowWatchBookmarks=true");
        var bookmark = await watch.ReadEventAsync();

        Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
        var bookmarkRv = long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture);
        Assert.True(bookmarkRv > long.Parse(rv, CultureInfo.InvariantCulture));
        Assert.Equal("ConfigMap", (string?)bookmark["object"]!["kind"]);
    }

    [Fact]
    public async Task No_bookmarks_unless_asked()
    {
        await using var api = await TestApi.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });

        await using var watch = await WatchReader.OpenAsync(api.Client, "/api/v1/namespaces/a/configmaps?watch=true&timeoutSeconds=1");
        var line = await watch.ReadLineAsync(TimeSpan.FromSeconds(5));

        Assert.Null(line);
    }
}
