using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator.Tests;

/// <summary>A fake API server with a node simulator on it, a temp root, and an HTTP client that writes as the operator would.</summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string Ns = "imprint-test";

    private Cluster(FakeKubeApiServer server, NodeSimulator simulator, string root)
    {
        Server = server;
        Simulator = simulator;
        Root = root;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    public FakeKubeApiServer Server { get; }

    public NodeSimulator Simulator { get; }

    public string Root { get; }

    public HttpClient Client { get; }

    public static async Task<Cluster> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("imprint-sim-").FullName;
        var server = await FakeKubeApiServer.StartAsync();
        var simulator = await NodeSimulator.StartAsync(server, new NodeSimulatorOptions
        {
            Root = root,
            Configuration = NodeSimulatorOptions.ConfigurationOf(typeof(Cluster).Assembly),
        });
        return new Cluster(server, simulator, root);
    }

    /// <summary>POSTs like a controller; returns the stored object.</summary>
    public async Task<JsonObject> CreateAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public Task<JsonObject> CreateJobAsync(JsonObject job) => CreateAsync($"/apis/batch/v1/namespaces/{Ns}/jobs", job);

    public Task<JsonObject> CreateClaimAsync(JsonObject pvc) => CreateAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims", pvc);

    public async Task DeleteAsync(string path)
    {
        using var response = await Client.DeleteAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"DELETE {path}: {(int)response.StatusCode}");
    }

    public JsonObject? Job(string name) => Server.Get("batch/v1", "jobs", Ns, name);

    public JsonObject? Claim(string name) => Server.Get("v1", "persistentvolumeclaims", Ns, name);

    public IReadOnlyList<JsonObject> PodsOf(string job) =>
        Server.List("v1", "pods", Ns).Where(p => (string?)p["metadata"]?["labels"]?["job-name"] == job).ToList();

    public IReadOnlyList<JsonObject> EventsFor(string name, string reason) =>
        Server.List("v1", "events", Ns).Where(e => (string?)e["involvedObject"]?["name"] == name && (string?)e["reason"] == reason).ToList();

    /// <summary>Polls until <paramref name="read"/> gives a value <paramref name="done"/> accepts; fails with the last value seen.</summary>
    public async Task<T> WaitAsync<T>(Func<T?> read, Func<T, bool> done, string what, double seconds = 20)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = read();
            if (last is not null && done(last))
                return last;
            await Task.Delay(25);
        }
        var errors = string.Join("\n", Simulator.Errors);
        Assert.Fail($"timed out waiting for {what}; last: {(last is JsonNode node ? node.ToJsonString() : last?.ToString())}\nsimulator errors: {errors}");
        return null!;
    }

    public Task<JsonObject> WaitForJobAsync(string name, string condition) =>
        WaitAsync(() => Job(name), j => HasCondition(j, condition), $"job {name} {condition}");

    public static bool HasCondition(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray ?? []).Any(c => (string?)c?["type"] == type && (string?)c?["status"] == "True");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var errors = Simulator.Errors;
        await Simulator.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
        Assert.True(errors.Count == 0, "simulator errors:\n" + string.Join("\n", errors));
    }
}
