using Imprint.Operator.Kubernetes.Client;
using Imprint.Testing.FakeApiServer;
using k8s;

namespace Imprint.Operator.Tests.Integration.Support;

/// <summary>
/// A fresh <see cref="FakeKubeApiServer"/> holding the widget CRD and the real client talking to it: the setup of
/// runtime tests that need the server but no controller runner (<see cref="FakeClusterHarness"/> adds the runner).
/// One per test, so each test sees only its own objects and requests.
/// </summary>
public sealed class FakeApiConnection : IAsyncDisposable
{
    private FakeApiConnection(FakeKubeApiServer server)
    {
        Server = server;
        Client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
    }

    public FakeKubeApiServer Server { get; }

    public KubernetesClient Client { get; }

    public static async Task<FakeApiConnection> StartAsync(FakeApiServerOptions? options = null) =>
        new(await FakeClusterHarness.StartServerAsync(options ?? new FakeApiServerOptions()));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
