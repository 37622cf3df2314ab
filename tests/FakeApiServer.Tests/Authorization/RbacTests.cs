using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Authorization;

/// <summary>Requests with the operator's token are held to the generated roles in config/rbac.</summary>
public sealed class RbacTests
{
    private const string Token = "operator-token";
    private const string User = "system:serviceaccount:imprint-system:imprint-operator";
    private const string Job = """{"metadata":{"name":"j"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""";

    [Fact]
    public async Task Verbs_the_cluster_role_grants_are_allowed_everywhere()
    {
        await using var api = await StartAsync();

        var created = await SendAsync(api, HttpMethod.Post, "/apis/batch/v1/namespaces/a/jobs", Job);
        var listed = await SendAsync(api, HttpMethod.Get, "/api/v1/pods");
        var log = await SendAsync(api, HttpMethod.Get, "/api/v1/namespaces/a/pods/p/log");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.NotFound, log.Status); // Allowed; the pod just does not exist.
        Assert.All(api.Server.Requests, r => Assert.Equal(User, r.User));
    }

    [Fact]
    public async Task A_verb_the_roles_lack_is_forbidden_with_the_real_message()
    {
        await using var api = await StartAsync();
        await api.CreateAsync("/apis/batch/v1/namespaces/a/jobs", Job);

        var (status, body) = await SendAsync(api, HttpMethod.Patch, "/apis/batch/v1/namespaces/a/jobs/j", """{"metadata":{"labels":{"a":"b"}}}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Forbidden", (string?)body["reason"]);
        Assert.Equal(
            $"jobs.batch \"j\" is forbidden: User \"{User}\" cannot patch resource \"jobs\" in API group \"batch\" in the namespace \"a\"",
            (string?)body["message"]);
        Assert.Equal("jobs", (string?)body["details"]!["kind"]);
        Assert.Null(api.Server.Get("batch/v1", "jobs", "a", "j")!["metadata"]!["labels"]);
    }

    [Fact]
    public async Task A_role_grants_only_in_its_own_namespace()
    {
        await using var api = await StartAsync();
        const string Lease = """{"metadata":{"name":"imprint"},"spec":{"holderIdentity":"x","leaseDurationSeconds":15}}""";

        var own = await SendAsync(api, HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/imprint-system/leases", Lease);
        var other = await SendAsync(api, HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/a/leases", Lease);

        Assert.Equal(HttpStatusCode.Created, own.Status);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Contains("in the namespace \"a\"", (string?)other.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subresources_and_cluster_scope_are_checked_separately()
    {
        await using var api = await StartAsync();

        var binding = await SendAsync(api, HttpMethod.Post, "/api/v1/namespaces/a/pods/p/binding", """{"target":{"name":"n"}}""");
        var classes = await SendAsync(api, HttpMethod.Post, "/apis/storage.k8s.io/v1/storageclasses", """{"metadata":{"name":"s"},"provisioner":"x"}""");

        Assert.Equal(HttpStatusCode.Forbidden, binding.Status);
        Assert.Contains("resource \"pods/binding\"", (string?)binding.Body["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, classes.Status);
        Assert.EndsWith("at the cluster scope", (string?)classes.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocking_owner_deletion_needs_update_on_the_owners_finalizers()
    {
        await using var api = await StartAsync();
        var job = await api.CreateAsync("/apis/batch/v1/namespaces/a/jobs", Job);
        var reference = $$"""{"apiVersion":"batch/v1","kind":"Job","name":"j","uid":"{{job["metadata"]!["uid"]}}","blockOwnerDeletion":BLOCK}""";

        var blocking = await SendAsync(api, HttpMethod.Post, "/api/v1/namespaces/a/configmaps",
            """{"metadata":{"name":"c1","ownerReferences":[REF]}}""".Replace("REF", reference.Replace("BLOCK", "true", StringComparison.Ordinal), StringComparison.Ordinal));
        var plain = await SendAsync(api, HttpMethod.Post, "/api/v1/namespaces/a/configmaps",
            """{"metadata":{"name":"c2","ownerReferences":[REF]}}""".Replace("REF", reference.Replace("BLOCK", "false", StringComparison.Ordinal), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, blocking.Status);
        Assert.Contains("cannot set blockOwnerDeletion", (string?)blocking.Body["message"], StringComparison.Ordinal);
        Assert.Contains("resource \"jobs/finalizers\"", (string?)blocking.Body["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, plain.Status);
    }

    [Fact]
    public async Task Requests_without_a_token_are_unrestricted_and_an_unknown_token_is_unauthorized()
    {
        await using var api = await StartAsync();

        var (admin, _) = await api.PostAsync("/apis/storage.k8s.io/v1/storageclasses", """{"metadata":{"name":"s"},"provisioner":"x"}""");
        var (unknown, _) = await SendAsync(api, HttpMethod.Get, "/api/v1/pods", token: "stolen");

        Assert.Equal(HttpStatusCode.Created, admin);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
    }

    private static async Task<TestApi> StartAsync()
    {
        var api = await TestApi.StartAsync();
        api.Server.AuthorizeToken(Token, User, RepositoryFiles.Documents(Path.Combine("config", "rbac"), "*role.yaml")
            .Where(d => (string?)d["kind"] is "Role" or "ClusterRole"));
        return api;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(TestApi api, HttpMethod method, string path, string? json = null, string token = Token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
        }
        using var response = await api.Client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
