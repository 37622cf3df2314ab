using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class PaginationTests
{
    [Fact]
    public async Task Limit_and_continue_walk_every_item_once()
    {
        await using var api = await TestApi.StartAsync();
        for (var i = 0; i < 5; i++)
            await api.CreateAsync("/api/v1/namespaces/a/configmaps", $$$"""{"metadata":{"name":"c{{{i}}}"}}""");

        var names = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var query = token is null ? "" : $"&continue={Uri.EscapeDataString(token)}";
            var (_, page) = await api.GetAsync($"/api/v1/namespaces/a/configmaps?limit=2{query}");
            names.AddRange(page["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
            token = (string?)page["metadata"]!["continue"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task First_page_reports_remaining_item_count()
    {
        await using var api = await TestApi.StartAsync();
        for (var i = 0; i < 3; i++)
            await api.CreateAsync("/api/v1/namespaces/a/configmaps", $$$"""{"metadata":{"name":"c{{{i}}}"}}""");

        var (_, page) = await api.GetAsync("/api/v1/namespaces/a/configmaps?limit=1");

        Assert.Equal(2, (int)page["metadata"]!["remainingItemCount"]!);
    }

    [Fact]
    public async Task Continue_token_older_than_compaction_is_410_expired()
    {
        await using var api = await TestApi.StartAsync();
        for (var i = 0; i < 3; i++)
            await api.CreateAsync("/api/v1/namespaces/a/configmaps", $$$"""{"metadata":{"name":"c{{{i}}}"}}""");
        var (_, page) = await api.GetAsync("/api/v1/namespaces/a/configmaps?limit=1");
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"later"}}""");
        api.Server.CompactHistory();

        var token = Uri.EscapeDataString((string)page["metadata"]!["continue"]!);
        var (status, body) = await api.GetAsync($"/api/v1/namespaces/a/configmaps?limit=1&continue={token}");

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("Expired", (string?)body["reason"]);
    }
}
