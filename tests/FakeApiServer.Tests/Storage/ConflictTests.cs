using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class ConflictTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Put_with_stale_resource_version_is_a_409_conflict_status()
    {
        await using var api = await TestApi.StartAsync();
        var created = await api.CreateAsync(Path, """{"metadata":{"name":"c"},"data":{"k":"1"}}""");
        var staleRv = (string)created["metadata"]!["resourceVersion"]!;
        await api.PatchAsync($"{Path}/c", """{"data":{"k":"2"}}""");

        var (status, body) = await api.PutAsync($"{Path}/c", $$$"""{"metadata":{"name":"c","resourceVersion":"{{{staleRv}}}"},"data":{"k":"3"}}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal("Conflict", (string?)body["reason"]);
        Assert.Equal(409, (int)body["code"]!);
        Assert.Equal("c", (string?)body["details"]!["name"]);
        Assert.Equal("2", (string?)api.Server.Get("v1", "configmaps", "a", "c")!["data"]!["k"]);
    }

    [Fact]
    public async Task Put_without_resource_version_overwrites()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c"},"data":{"k":"1"}}""");

        var (status, body) = await api.PutAsync($"{Path}/c", """{"metadata":{"name":"c"},"data":{"k":"3"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("3", (string?)body["data"]!["k"]);
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_already_exists()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");

        var (status, body) = await api.PostAsync(Path, """{"metadata":{"name":"c"}}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("AlreadyExists", (string?)body["reason"]);
        Assert.Equal("configmaps \"c\" already exists", (string?)body["message"]);
    }

    [Fact]
    public async Task Generate_name_appends_a_random_suffix()
    {
        await using var api = await TestApi.StartAsync();

        var first = await api.CreateAsync(Path, """{"metadata":{"generateName":"job-"}}""");
        var second = await api.CreateAsync(Path, """{"metadata":{"generateName":"job-"}}""");

        var name = (string)first["metadata"]!["name"]!;
        Assert.StartsWith("job-", name, StringComparison.Ordinal);
        Assert.Equal(9, name.Length);
        Assert.NotEqual(name, (string?)second["metadata"]!["name"]);
    }

    [Fact]
    public async Task Missing_object_is_a_404_not_found_status()
    {
        await using var api = await TestApi.StartAsync();

        var (status, body) = await api.GetAsync("/apis/batch/v1/namespaces/a/jobs/nope");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NotFound", (string?)body["reason"]);
        Assert.Equal("jobs.batch \"nope\" not found", (string?)body["message"]);
        Assert.Equal("jobs", (string?)body["details"]!["kind"]);
    }
}
