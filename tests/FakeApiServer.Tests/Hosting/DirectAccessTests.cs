using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests.Hosting;

public sealed class DirectAccessTests
{
    [Fact]
    public async Task Put_creates_then_replaces_with_status_and_is_visible_over_http()
    {
        await using var api = await TestApi.StartAsync();

        var created = api.Server.Put(JsonNode.Parse("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"a"},"spec":{},"status":{"active":1}}""")!.AsObject());
        var replaced = api.Server.Put(JsonNode.Parse("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"a"},"spec":{},"status":{"succeeded":1}}""")!.AsObject());
        var (status, body) = await api.GetAsync("/apis/batch/v1/namespaces/a/jobs/j");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, (int)body["status"]!["succeeded"]!);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)replaced["metadata"]!["uid"]);
        Assert.True(Storage.ResourceVersionTests.Rv(replaced) > Storage.ResourceVersionTests.Rv(created));
        Assert.Single(api.Server.List("batch/v1", "jobs", "a"));
    }

    [Fact]
    public async Task Changed_event_lets_a_simulator_react_to_new_jobs()
    {
        await using var api = await TestApi.StartAsync();
        var server = api.Server;
        server.Changed += (_, change) =>
        {
            if (change.Type == "ADDED" && (string?)change.Object["kind"] == "Job")
            {
                var pod = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["metadata"] = new JsonObject { ["name"] = (string?)change.Object["metadata"]!["name"] + "-pod", ["namespace"] = "a" },
                };
                server.Put(pod);
            }
        };

        await api.CreateAsync("/apis/batch/v1/namespaces/a/jobs", """{"metadata":{"name":"j"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""");

        Assert.NotNull(server.Get("v1", "pods", "a", "j-pod"));
    }

    [Fact]
    public async Task Patch_on_status_keeps_concurrent_spec_changes_and_is_not_a_request()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/apis/batch/v1/namespaces/a/jobs", """{"metadata":{"name":"j","labels":{"a":"1"}},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""");
        await api.PatchAsync("/apis/batch/v1/namespaces/a/jobs/j", """{"metadata":{"labels":{"a":"2"}}}""");
        api.Server.ResetRequests();

        var patched = api.Server.Patch("batch/v1", "jobs", "a", "j",
            JsonNode.Parse("""{"metadata":{"labels":{"a":"3"}},"status":{"active":1}}""")!.AsObject(), "status");
        var missing = api.Server.Patch("batch/v1", "jobs", "a", "nope", JsonNode.Parse("""{"status":{}}""")!.AsObject(), "status");

        Assert.NotNull(patched);
        Assert.Equal(1, (int)patched["status"]!["active"]!);
        Assert.Equal("2", (string?)patched["metadata"]!["labels"]!["a"]);
        Assert.Null(missing);
        Assert.Empty(api.Server.Requests);
    }

    [Fact]
    public async Task Patch_main_resource_ignores_status_and_honours_resource_version_precondition()
    {
        await using var api = await TestApi.StartAsync();
        var created = await api.CreateAsync("/api/v1/namespaces/a/persistentvolumeclaims", """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");
        var stale = (string)created["metadata"]!["resourceVersion"]!;

        var patched = api.Server.Patch("v1", "persistentvolumeclaims", "a", "c",
            JsonNode.Parse("""{"spec":{"volumeName":"pvc-1"},"status":{"phase":"Bound"}}""")!.AsObject());
        var conflict = Record.Exception(() => api.Server.Patch("v1", "persistentvolumeclaims", "a", "c",
            JsonNode.Parse($$$"""{"metadata":{"resourceVersion":"{{{stale}}}"},"spec":{"volumeName":"pvc-2"}}""")!.AsObject()));

        Assert.Equal("pvc-1", (string?)patched!["spec"]!["volumeName"]);
        Assert.Null(patched["status"]);
        Assert.Contains("the object has been modified", conflict?.Message);
    }

    [Fact]
    public async Task Delete_removes_even_with_finalizers()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c","finalizers":["x/y"]}}""");

        api.Server.Delete("v1", "configmaps", "a", "c");

        Assert.Null(api.Server.Get("v1", "configmaps", "a", "c"));
    }

    [Fact]
    public async Task Pod_log_returns_the_last_lines_set_by_the_test()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/pods", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
        api.Server.SetPodLog("a", "p", "one\ntwo\nthree\n");

        var tail = await api.Client.GetStringAsync("/api/v1/namespaces/a/pods/p/log?tailLines=2");
        var all = await api.Client.GetStringAsync("/api/v1/namespaces/a/pods/p/log");

        Assert.Equal("two\nthree\n", tail);
        Assert.Equal("one\ntwo\nthree\n", all);
    }

    [Fact]
    public async Task Requests_are_recorded_with_status_and_can_be_reset()
    {
        await using var api = await TestApi.StartAsync();
        await api.GetAsync("/api/v1/namespaces/a/configmaps/missing?x=1");

        var record = Assert.Single(api.Server.Requests);
        api.Server.ResetRequests();

        Assert.Equal(new RequestRecord("GET", "/api/v1/namespaces/a/configmaps/missing", "?x=1", 404), record);
        Assert.Empty(api.Server.Requests);
    }

    [Fact]
    public async Task Missing_namespace_is_404_when_auto_create_is_off()
    {
        await using var api = await TestApi.StartAsync(new FakeApiServerOptions { AutoCreateNamespaces = false });

        var (status, body) = await api.PostAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("namespaces \"a\" not found", (string?)body["message"]);
    }
}
