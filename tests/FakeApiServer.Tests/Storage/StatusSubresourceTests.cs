using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class StatusSubresourceTests
{
    private const string JobPath = "/apis/batch/v1/namespaces/a/jobs";

    [Fact]
    public async Task Create_and_main_resource_writes_ignore_status()
    {
        await using var api = await TestApi.StartAsync();
        var created = await api.CreateAsync(JobPath, """{"metadata":{"name":"j"},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}},"status":{"succeeded":9}}""");
        await api.PatchAsync($"{JobPath}/j/status", """{"status":{"active":1}}""");

        var (status, updated) = await api.PutAsync($"{JobPath}/j", """{"metadata":{"name":"j"},"spec":{"backoffLimit":3,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}},"status":{"failed":5}}""");

        Assert.Null(created["status"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, (int)updated["spec"]!["backoffLimit"]!);
        Assert.Equal("""{"active":1}""", updated["status"]!.ToJsonString());
    }

    [Fact]
    public async Task Status_writes_ignore_everything_but_status()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(JobPath, """{"metadata":{"name":"j","labels":{"a":"1"}},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""");

        var (status, updated) = await api.PutAsync($"{JobPath}/j/status",
            """{"metadata":{"name":"j","labels":{"a":"2"}},"spec":{"backoffLimit":7,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}},"status":{"succeeded":1}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, (int)updated["spec"]!["backoffLimit"]!);
        Assert.Equal("1", (string?)updated["metadata"]!["labels"]!["a"]);
        Assert.Equal(1, (int)updated["status"]!["succeeded"]!);
    }

    [Fact]
    public async Task Kinds_without_status_subresource_answer_404_on_status()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");

        var (status, body) = await api.PatchAsync("/api/v1/namespaces/a/configmaps/c/status", """{"status":{}}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Status", (string?)body["kind"]);
    }
}
