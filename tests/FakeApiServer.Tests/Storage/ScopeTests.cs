using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class ScopeTests
{
    [Fact]
    public async Task Cluster_scoped_kinds_live_outside_namespaces()
    {
        await using var api = await TestApi.StartAsync();

        var sc = await api.CreateAsync("/apis/storage.k8s.io/v1/storageclasses", """{"metadata":{"name":"fast","namespace":"ignored"},"provisioner":"x"}""");
        var (status, _) = await api.GetAsync("/apis/storage.k8s.io/v1/storageclasses/fast");

        Assert.Null(sc["metadata"]!["namespace"]);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Listing_a_namespaced_kind_without_namespace_spans_all_namespaces()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/apis/coordination.k8s.io/v1/namespaces/a/leases", """{"metadata":{"name":"l"}}""");
        await api.CreateAsync("/apis/coordination.k8s.io/v1/namespaces/b/leases", """{"metadata":{"name":"l"}}""");

        var (_, all) = await api.GetAsync("/apis/coordination.k8s.io/v1/leases");
        var (_, one) = await api.GetAsync("/apis/coordination.k8s.io/v1/namespaces/b/leases");

        Assert.Equal("LeaseList", (string?)all["kind"]);
        Assert.Equal(2, all["items"]!.AsArray().Count);
        Assert.Single(one["items"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");
        await api.CreateAsync("/api/v1/namespaces/b/configmaps", """{"metadata":{"name":"c"}}""");

        await api.DeleteAsync("/api/v1/namespaces/a");

        Assert.Null(api.Server.Get("v1", "configmaps", "a", "c"));
        Assert.NotNull(api.Server.Get("v1", "configmaps", "b", "c"));
    }

    [Fact]
    public async Task Unknown_resource_is_404_status()
    {
        await using var api = await TestApi.StartAsync();

        var (status, body) = await api.GetAsync("/apis/nope.dev/v1/things");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NotFound", (string?)body["reason"]);
    }
}
