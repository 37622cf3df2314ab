using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class MergePatchTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Null_in_a_merge_patch_deletes_the_key_and_objects_merge()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c","labels":{"a":"1","b":"2"}},"data":{"x":"1","y":"2"}}""");

        var (status, body) = await api.PatchAsync($"{Path}/c", """{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"y":null}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"b":"2","c":"3"}""", body["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""{"x":"1"}""", body["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Patch_with_stale_resource_version_conflicts()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");

        var (status, _) = await api.PatchAsync($"{Path}/c", """{"metadata":{"resourceVersion":"1"},"data":{"x":"1"}}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
    }
}
