using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Hosting;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_keeps_data_and_port_and_cuts_open_watches()
    {
        await using var api = await TestApi.StartAsync();
        var created = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");
        var address = api.Server.BaseAddress;
        var watch = await WatchReader.OpenAsync(api.Client, "/api/v1/namespaces/a/configmaps?watch=true");
        await watch.ReadEventAsync();

        await api.Server.RestartAsync();
        var cut = await Record.ExceptionAsync(() => watch.ReadLineAsync());
        await watch.DisposeAsync();
        var (status, body) = await api.GetAsync("/api/v1/namespaces/a/configmaps/c");
        var next = await api.CreateAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"d"}}""");

        Assert.NotNull(cut);
        Assert.Equal(address, api.Server.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)body["metadata"]!["uid"]);
        Assert.True(Storage.ResourceVersionTests.Rv(next) > Storage.ResourceVersionTests.Rv(created));
    }
}
