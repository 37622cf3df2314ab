using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class ResourceVersionMatchTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Not_older_than_a_past_version_lists_the_current_state()
    {
        await using var api = await TestApi.StartAsync();
        var first = await api.CreateAsync(Path, """{"metadata":{"name":"c1"}}""");
        await api.CreateAsync(Path, """{"metadata":{"name":"c2"}}""");

        var (status, body) = await api.GetAsync($"{Path}?resourceVersion={first["metadata"]!["resourceVersion"]}&resourceVersionMatch=NotOlderThan");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Exact_at_the_current_version_lists_and_an_older_one_is_gone()
    {
        await using var api = await TestApi.StartAsync();
        var first = await api.CreateAsync(Path, """{"metadata":{"name":"c1"}}""");
        var second = await api.CreateAsync(Path, """{"metadata":{"name":"c2"}}""");

        var (current, _) = await api.GetAsync($"{Path}?resourceVersion={second["metadata"]!["resourceVersion"]}&resourceVersionMatch=Exact");
        var (older, _) = await api.GetAsync($"{Path}?resourceVersion={first["metadata"]!["resourceVersion"]}&resourceVersionMatch=Exact");

        Assert.Equal(HttpStatusCode.OK, current);
        Assert.Equal(HttpStatusCode.Gone, older);
    }

    [Theory]
    [InlineData("?resourceVersionMatch=NotOlderThan")]
    [InlineData("?resourceVersion=0&resourceVersionMatch=Exact")]
    [InlineData("?resourceVersion=1&resourceVersionMatch=Newest")]
    [InlineData("?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan")]
    public async Task Match_without_a_usable_version_or_on_a_watch_is_a_bad_request(string query)
    {
        await using var api = await TestApi.StartAsync();

        var (status, body) = await api.GetAsync(Path + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadRequest", (string?)body["reason"]);
    }
}
