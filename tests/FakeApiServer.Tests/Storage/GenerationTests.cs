namespace Imprint.Testing.FakeApiServer.Tests.Storage;

public sealed class GenerationTests
{
    private const string JobPath = "/apis/batch/v1/namespaces/a/jobs";

    [Fact]
    public async Task Generation_bumps_on_spec_change_only()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateAsync(JobPath, """{"metadata":{"name":"j"},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}""");

        var (_, labelled) = await api.PatchAsync($"{JobPath}/j", """{"metadata":{"labels":{"x":"y"}}}""");
        var (_, withStatus) = await api.PatchAsync($"{JobPath}/j/status", """{"status":{"active":1}}""");
        var (_, respecced) = await api.PatchAsync($"{JobPath}/j", """{"spec":{"backoffLimit":2}}""");

        Assert.Equal(1, (long)labelled["metadata"]!["generation"]!);
        Assert.Equal(1, (long)withStatus["metadata"]!["generation"]!);
        Assert.Equal(2, (long)respecced["metadata"]!["generation"]!);
        Assert.True(ResourceVersionTests.Rv(withStatus) > ResourceVersionTests.Rv(labelled));
    }
}
