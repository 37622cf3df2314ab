using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Watch;

public sealed class WatchExpiryTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Watch_from_compacted_version_gets_one_error_410_expired_then_ends()
    {
        await using var api = await TestApi.StartAsync();
        var created = await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");
        await api.PatchAsync($"{Path}/c", """{"data":{"k":"v"}}""");
        api.Server.CompactHistory();

        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true&resourceVersion={(string)created["metadata"]!["resourceVersion"]!}");
        var error = await watch.ReadEventAsync();
        var end = await watch.ReadLineAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Equal("ERROR", (string?)error["type"]);
        Assert.Equal("Status", (string?)error["object"]!["kind"]);
        Assert.Equal(410, (int)error["object"]!["code"]!);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
        Assert.Null(end);
    }

    [Fact]
    public async Task Option_answers_expired_watch_with_http_410()
    {
        await using var api = await TestApi.StartAsync(new FakeApiServerOptions { WatchGoneAsHttp410 = true });
        await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");
        await api.CreateAsync(Path, """{"metadata":{"name":"d"}}""");
        api.Server.CompactHistory();

        var (status, body) = await api.GetAsync($"{Path}?watch=true&resourceVersion=1");

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("Expired", (string?)body["reason"]);
    }

    [Fact]
    public async Task Bounded_history_expires_old_versions_by_itself()
    {
        await using var api = await TestApi.StartAsync(new FakeApiServerOptions { WatchHistoryCapacity = 2 });
        for (var i = 0; i < 5; i++)
            await api.CreateAsync(Path, $$$"""{"metadata":{"name":"c{{{i}}}"}}""");

        await using var watch = await WatchReader.OpenAsync(api.Client, $"{Path}?watch=true&resourceVersion=2");
        var error = await watch.ReadEventAsync();

        Assert.Equal("ERROR", (string?)error["type"]);
    }
}
