using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class FinalizerTests
{
    private const string Path = "/api/v1/namespaces/a/configmaps";

    [Fact]
    public async Task Delete_with_finalizer_marks_deletion_and_removing_it_deletes()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c","finalizers":["imprint.dev/cleanup"]}}""");

        var (deleteStatus, marked) = await api.DeleteAsync($"{Path}/c");
        var (getStatus, stillThere) = await api.GetAsync($"{Path}/c");
        var (patchStatus, _) = await api.PatchAsync($"{Path}/c", """{"metadata":{"finalizers":null}}""");
        var (goneStatus, _) = await api.GetAsync($"{Path}/c");

        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.NotNull(stillThere["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.OK, patchStatus);
        Assert.Equal(HttpStatusCode.NotFound, goneStatus);
    }

    [Fact]
    public async Task Updates_cannot_clear_deletion_timestamp()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c","finalizers":["a/b","c/d"]}}""");
        await api.DeleteAsync($"{Path}/c");

        var (_, updated) = await api.PatchAsync($"{Path}/c", """{"metadata":{"deletionTimestamp":null,"finalizers":["c/d"]}}""");

        Assert.NotNull(updated["metadata"]!["deletionTimestamp"]);
        Assert.Equal("""["c/d"]""", updated["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public async Task Delete_without_finalizers_removes_at_once()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Path, """{"metadata":{"name":"c"}}""");

        var (status, _) = await api.DeleteAsync($"{Path}/c");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(api.Server.Get("v1", "configmaps", "a", "c"));
    }
}
