using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

/// <summary>Deletion propagation as the real garbage collector runs it: asynchronously, after the owner's DELETE answers.</summary>
public sealed class GarbageCollectionTests
{
    private const string JobTemplate = "\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";

    [Fact]
    public async Task Background_delete_removes_the_owner_at_once_and_its_dependents_afterwards()
    {
        await using var api = await TestApi.StartAsync();
        await CreateJobWithPodAsync(api);

        var (status, _) = await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j?propagationPolicy=Background");
        var ownerGone = api.Server.Get("batch/v1", "jobs", "a", "j") is null;
        await api.Server.SettleAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(ownerGone);
        Assert.Null(api.Server.Get("v1", "pods", "a", "p"));
    }

    [Fact]
    public async Task Foreground_delete_keeps_the_owner_with_a_finalizer_until_blocking_dependents_are_gone()
    {
        await using var api = await TestApi.StartAsync();
        await CreateJobWithPodAsync(api, podFinalizer: "x.dev/hold");

        var (_, marked) = await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j", """{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}""");
        await api.Server.SettleAsync();
        var waiting = api.Server.Get("batch/v1", "jobs", "a", "j");
        var pod = api.Server.Get("v1", "pods", "a", "p");
        await api.PatchAsync("/api/v1/namespaces/a/pods/p", """{"metadata":{"finalizers":null}}""");
        await api.Server.SettleAsync();

        Assert.Contains("foregroundDeletion", marked["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(waiting);
        Assert.NotNull(pod!["metadata"]!["deletionTimestamp"]);
        Assert.Null(api.Server.Get("v1", "pods", "a", "p"));
        Assert.Null(api.Server.Get("batch/v1", "jobs", "a", "j"));
    }

    [Fact]
    public async Task Orphan_delete_strips_owner_reference_and_keeps_dependents()
    {
        await using var api = await TestApi.StartAsync();
        await CreateJobWithPodAsync(api);

        await api.DeleteAsync("/apis/batch/v1/namespaces/a/jobs/j?propagationPolicy=Orphan");
        await api.Server.SettleAsync();

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
        await api.Server.SettleAsync();

        Assert.NotNull(api.Server.Get("v1", "pods", "a", "p"));
    }

    [Fact]
    public async Task An_owner_in_another_namespace_is_not_found_so_the_dependent_is_collected()
    {
        await using var api = await TestApi.StartAsync();
        var owner = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"owner"}}""");

        await api.CreateAsync("/api/v1/namespaces/b/configmaps",
            $$$"""{"metadata":{"name":"dependent","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"{{{owner["metadata"]!["uid"]}}}"}]}}""");
        await api.Server.SettleAsync();

        Assert.Null(api.Server.Get("v1", "configmaps", "b", "dependent"));
        Assert.NotNull(api.Server.Get("v1", "configmaps", "a", "owner"));
    }

    [Fact]
    public async Task A_dependent_keeps_living_owners_and_drops_only_the_dangling_references()
    {
        await using var api = await TestApi.StartAsync();
        var owner = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"owner"}}""");
        var uid = (string)owner["metadata"]!["uid"]!;

        await api.CreateAsync("/api/v1/namespaces/a/configmaps",
            $$$"""{"metadata":{"name":"dependent","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"{{{uid}}}"},{"apiVersion":"v1","kind":"ConfigMap","name":"gone","uid":"0000"}]}}""");
        await api.Server.SettleAsync();

        var dependent = api.Server.Get("v1", "configmaps", "a", "dependent");
        var reference = Assert.Single(dependent!["metadata"]!["ownerReferences"]!.AsArray());
        Assert.Equal(uid, (string?)reference!["uid"]);
    }

    [Fact]
    public async Task A_deleted_namespace_stays_terminating_until_objects_with_finalizers_are_gone()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"held","finalizers":["x.dev/hold"]}}""");
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"plain"}}""");

        var (status, marked) = await api.DeleteAsync("/api/v1/namespaces/a");
        await api.Server.SettleAsync();
        var terminating = api.Server.Get("v1", "namespaces", null, "a");
        var (refused, _) = await api.PostAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"new"}}""");
        var held = api.Server.Get("v1", "configmaps", "a", "held");
        var plain = api.Server.Get("v1", "configmaps", "a", "plain");
        await api.PatchAsync("/api/v1/namespaces/a/configmaps/held", """{"metadata":{"finalizers":null}}""");
        await api.Server.SettleAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Terminating", (string?)marked["status"]!["phase"]);
        Assert.NotNull(terminating);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.NotNull(held!["metadata"]!["deletionTimestamp"]);
        Assert.Null(plain);
        Assert.Null(api.Server.Get("v1", "namespaces", null, "a"));
    }

    private static async Task CreateJobWithPodAsync(TestApi api, string? podFinalizer = null)
    {
        var job = await api.CreateAsync("/apis/batch/v1/namespaces/a/jobs", "{\"metadata\":{\"name\":\"j\"},\"spec\":{" + JobTemplate + "}}");
        var uid = (string)job["metadata"]!["uid"]!;
        var finalizers = podFinalizer is null ? "" : $",\"finalizers\":[\"{podFinalizer}\"]";
        await api.CreateAsync("/api/v1/namespaces/a/pods",
            $$$"""{"metadata":{"name":"p"{{{finalizers}}},"ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"j","uid":"{{{uid}}}","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
    }
}
