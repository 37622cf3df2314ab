using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests;

/// <summary>A started fake plus a plain HttpClient, with JSON helpers that return status and parsed body.</summary>
internal sealed class TestApi : IAsyncDisposable
{
    private TestApi(FakeKubeApiServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    public FakeKubeApiServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<TestApi> StartAsync(FakeApiServerOptions? options = null) =>
        new(await FakeKubeApiServer.StartAsync(options));

    public Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(HttpStatusCode Status, JsonObject Body)> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(HttpStatusCode Status, JsonObject Body)> PatchAsync(string path, string json, string contentType = "application/merge-patch+json") =>
        SendAsync(HttpMethod.Patch, path, json, contentType);

    public Task<(HttpStatusCode Status, JsonObject Body)> DeleteAsync(string path, string? json = null) => SendAsync(HttpMethod.Delete, path, json);

    /// <summary>POSTs and asserts 201, returning the stored object.</summary>
    public async Task<JsonObject> CreateAsync(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.Created, $"POST {path} answered {(int)status}: {body.ToJsonString()}");
        return body;
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
