using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

/// <summary>The pvc-protection finalizer: a deleted claim stays Terminating while a running pod uses it.</summary>
public sealed class ClaimProtectionTests
{
    private const string Claims = "/api/v1/namespaces/a/persistentvolumeclaims";
    private const string Claim = """{"metadata":{"name":"disk"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""";
    private const string Pod = """{"metadata":{"name":"user"},"spec":{"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"disk"}}],"containers":[{"name":"c","image":"busybox","volumeMounts":[{"name":"d","mountPath":"/d"}]}]}}""";

    [Fact]
    public async Task A_created_claim_carries_the_protection_finalizer()
    {
        await using var api = await TestApi.StartAsync();

        var claim = await api.CreateAsync(Claims, Claim);

        Assert.Equal("""["kubernetes.io/pvc-protection"]""", claim["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public async Task A_claim_in_use_stays_terminating_and_refuses_re_creation_until_its_pod_finishes()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Claims, Claim);
        await api.CreateAsync("/api/v1/namespaces/a/pods", Pod);

        var (deleted, marked) = await api.DeleteAsync($"{Claims}/disk");
        await api.Server.SettleAsync();
        var (recreate, conflict) = await api.PostAsync(Claims, Claim);
        var terminating = api.Server.Get("v1", "persistentvolumeclaims", "a", "disk");
        api.Server.Patch("v1", "pods", "a", "user", System.Text.Json.Nodes.JsonNode.Parse("""{"status":{"phase":"Succeeded"}}""")!.AsObject(), "status");
        await api.Server.SettleAsync();

        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.Conflict, recreate);
        Assert.Equal("AlreadyExists", (string?)conflict["reason"]);
        Assert.NotNull(terminating);
        Assert.Null(api.Server.Get("v1", "persistentvolumeclaims", "a", "disk"));
    }

    [Fact]
    public async Task An_unused_claim_goes_once_the_controller_has_run()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(Claims, Claim);

        var (_, marked) = await api.DeleteAsync($"{Claims}/disk");
        await api.Server.SettleAsync();
        var (recreate, _) = await api.PostAsync(Claims, Claim);

        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.Created, recreate);
    }

    [Fact]
    public async Task A_pod_is_bound_to_a_node_only_once_through_the_binding_subresource()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/pods", Pod);

        var (first, _) = await api.PostAsync("/api/v1/namespaces/a/pods/user/binding", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"user"},"target":{"kind":"Node","name":"n1"}}""");
        var (second, _) = await api.PostAsync("/api/v1/namespaces/a/pods/user/binding", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"user"},"target":{"kind":"Node","name":"n2"}}""");

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Equal("n1", (string?)api.Server.Get("v1", "pods", "a", "user")!["spec"]!["nodeName"]);
    }
}
