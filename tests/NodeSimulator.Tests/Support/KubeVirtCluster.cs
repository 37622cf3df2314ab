using System.Text.Json.Nodes;
using Imprint.Testing.NodeSimulator.KubeVirt;

namespace Imprint.Testing.NodeSimulator.Tests;

/// <summary>A <see cref="Cluster"/> with KubeVirt's and (optionally) CDI's definitions installed and their controllers simulated.</summary>
internal sealed class KubeVirtCluster : IAsyncDisposable
{
    private KubeVirtCluster(Cluster cluster, KubeVirtSimulator kubeVirt)
    {
        Cluster = cluster;
        KubeVirt = kubeVirt;
    }

    public Cluster Cluster { get; }

    public KubeVirtSimulator KubeVirt { get; }

    public static async Task<KubeVirtCluster> StartAsync(bool cdi = true)
    {
        var cluster = await Cluster.StartAsync();
        KubeVirtCrds.InstallKubeVirt(cluster.Server);
        if (cdi)
            KubeVirtCrds.InstallCdi(cluster.Server);
        return new KubeVirtCluster(cluster, KubeVirtSimulator.Start(cluster.Server));
    }

    public Task<JsonObject> CreateAsync(string apiVersion, string plural, JsonObject body) =>
        Cluster.CreateAsync($"/apis/{apiVersion}/namespaces/{Cluster.Ns}/{plural}", body);

    public JsonObject? Get(string apiVersion, string plural, string name) => Cluster.Server.Get(apiVersion, plural, Cluster.Ns, name);

    public Task<JsonObject> WaitAsync(string apiVersion, string plural, string name, Func<JsonObject, bool> done, string what) =>
        Cluster.WaitAsync(() => Get(apiVersion, plural, name), done, $"{plural} {name}: {what}");

    public async ValueTask DisposeAsync()
    {
        var errors = KubeVirt.Errors;
        await KubeVirt.DisposeAsync();
        await Cluster.DisposeAsync();
        Assert.True(errors.Count == 0, "KubeVirt simulator errors:\n" + string.Join("\n", errors));
    }
}
