using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class GarbageCollectionTests
{
    [Fact]
    public async Task Background_delete_cascades_to_dependents()
    {
        await using var api = await TestApi.StartAsync();
        var job = await CreateJobWithPodAsync(api);

        var (status, _) = await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j?propagationPolicy=Background");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(api.Server.Get("batch/v1", "jobs", "a", "j"));
        Assert.Null(api.Server.Get("v1", "pods", "a", "p"));
        Assert.NotNull((string?)job["metadata"]!["uid"]);
    }

    [Fact]
    public async Task Propagation_policy_in_delete_options_body_is_honoured()
    {
        await using var api = await TestApi.StartAsync();
        await CreateJobWithPodAsync(api);

        await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j", """{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}""");

        Assert.Null(api.Server.Get("v1", "pods", "a", "p"));
    }

    [Fact]
    public async Task Orphan_delete_strips_owner_reference_and_keeps_dependents()
    {
        await using var api = await TestApi.StartAsync();
        await CreateJobWithPodAsync(api);

        await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j?propagationPolicy=Orphan");

        var pod = api.Server.Get("v1", "pods", "a", "p");
        Assert.NotNull(pod);
        Assert.Null(pod["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Jobs_orphan_their_pods_by_default_like_batch_v1()
    {
        await using var api = await TestApi.StartAsync();
        await CreateJobWithPodAsync(api);

        await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j");

        Assert.NotNull(api.Server.Get("v1", "pods", "a", "p"));
    }

    private static async Task<JsonObject> CreateJobWithPodAsync(TestApi api)
    {
        var job = await api.CreateAsync("/apis/batch/v1/namespaces/a/jobs", """{"metadata":{"name":"j"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""");
        var uid = (string)job["metadata"]!["uid"]!;
        await api.CreateAsync("/api/v1/namespaces/a/pods",
            $$$"""{"metadata":{"name":"p","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"j","uid":"{{{uid}}}","controller":true}]},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
        return job;
    }
}
