using System.Net;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Integration;

/// <summary>Our client against the fake API server: the two were written apart, so these pin that they agree.</summary>
public sealed class ClientAgainstFakeServerTests : IAsyncLifetime
{
    private FakeKubeApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        _client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Crud_round_trip_tracks_resource_versions_and_conflicts()
    {
        var created = await _client.CreateAsync(ConfigMap("settings", "a"));
        var fetched = await _client.GetAsync<V1ConfigMap>("settings", "demo");
        var patched = await _client.PatchAsync<V1ConfigMap>("settings", "demo", new JsonObject { ["data"] = new JsonObject { ["key"] = "b" } });
        var stale = ConfigMap("settings", "c");
        stale.Metadata.ResourceVersion = created.Metadata.ResourceVersion;

        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(stale));
        var deleted = await _client.DeleteAsync<V1ConfigMap>("settings", "demo");
        var gone = await _client.GetAsync<V1ConfigMap>("settings", "demo");

        Assert.Equal("a", fetched!.Data!["key"]);
        Assert.Equal("b", patched.Data!["key"]);
        Assert.True(long.Parse(patched.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(conflict.IsConflict);
        Assert.True(deleted);
        Assert.Null(gone);
    }

    [Fact]
    public async Task Watch_sees_changes_and_bookmarks_then_gone_after_compaction()
    {
        var first = await _client.CreateAsync(ConfigMap("one", "1"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<WatchEventType>();
        var watch = Task.Run(async () =>
        {
            await foreach (var e in _client.WatchAsync<V1ConfigMap>("demo", new ListOptions { ResourceVersion = first.Metadata.ResourceVersion }, cts.Token))
            {
                lock (seen)
                {
                    seen.Add(e.Type);
                }

                if (e.Type == WatchEventType.Modified)
                {
                    return;
                }
            }
        });

        await _client.PatchAsync<V1ConfigMap>("one", "demo", new JsonObject { ["data"] = new JsonObject { ["key"] = "2" } });
        await watch;
        _server.CompactHistory();
        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var unused in _client.WatchAsync<V1ConfigMap>("demo", new ListOptions { ResourceVersion = first.Metadata.ResourceVersion }, cts.Token))
            {
            }
        });

        Assert.Contains(WatchEventType.Modified, seen);
        Assert.True(error.IsGone);
    }

    [Fact]
    public async Task Too_many_requests_from_the_server_is_retried()
    {
        await _client.CreateAsync(ConfigMap("busy", "x"));
        _server.FailNext(r => r.Method == "GET", 429, count: 1, retryAfter: TimeSpan.FromSeconds(1));

        var got = await _client.GetAsync<V1ConfigMap>("busy", "demo");

        Assert.Equal("x", got!.Data!["key"]);
        Assert.Contains(_server.Requests, r => r.StatusCode == (int)HttpStatusCode.TooManyRequests);
    }

    private static V1ConfigMap ConfigMap(string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "demo" },
        Data = new Dictionary<string, string> { ["key"] = value },
    };
}
