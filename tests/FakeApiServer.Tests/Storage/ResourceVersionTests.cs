using System.Globalization;
using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class ResourceVersionTests
{
    [Fact]
    public async Task Every_write_across_kinds_bumps_one_increasing_counter()
    {
        await using var api = await TestApi.StartAsync();
        var versions = new List<long>();
        var cm = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"},"data":{"k":"1"}}""");
        versions.Add(Rv(cm));
        var secret = await api.CreateAsync("/api/v1/namespaces/a/secrets", """{"metadata":{"name":"s"}}""");
        versions.Add(Rv(secret));
        var (_, patched) = await api.PatchAsync("/api/v1/namespaces/a/configmaps/c", """{"data":{"k":"2"}}""");
        versions.Add(Rv(patched));
        var (_, list) = await api.GetAsync("/api/v1/namespaces/a/configmaps");

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(versions[^1], long.Parse((string)list["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_no_op_patch_keeps_the_resource_version()
    {
        await using var api = await TestApi.StartAsync();
        var cm = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"},"data":{"k":"1"}}""");

        var (status, same) = await api.PatchAsync("/api/v1/namespaces/a/configmaps/c", """{"data":{"k":"1"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Rv(cm), Rv(same));
    }

    [Fact]
    public async Task Create_sets_uid_creation_timestamp_and_generation_one()
    {
        await using var api = await TestApi.StartAsync();

        var cm = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");

        Assert.True(Guid.TryParse((string?)cm["metadata"]!["uid"], out _));
        Assert.NotNull((string?)cm["metadata"]!["creationTimestamp"]);
        Assert.Equal(1, (long)cm["metadata"]!["generation"]!);
        Assert.NotNull(api.Server.Get("v1", "namespaces", null, "a"));
    }

    [Fact]
    public async Task Parallel_writes_get_distinct_versions_and_watch_sees_them_in_order()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"seed"}}""");
        await using var watch = await WatchReader.OpenAsync(api.Client, "/api/v1/namespaces/a/configmaps?watch=true&resourceVersion=2");

        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            api.CreateAsync("/api/v1/namespaces/a/configmaps", $$$"""{"metadata":{"name":"c{{{i}}}"}}""")));
        var seen = new List<long>();
        for (var i = 0; i < 20; i++)
            seen.Add(Rv((await watch.ReadEventAsync())["object"]!.AsObject()));

        Assert.Equal(20, created.Select(Rv).Distinct().Count());
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(created.Select(Rv).Order(), seen);
    }

    internal static long Rv(System.Text.Json.Nodes.JsonObject obj) =>
        long.Parse((string)obj["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture);
}
