using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer.Tests;

/// <summary>An open watch stream read line by line, each read bounded so a hung stream fails the test instead of the run.</summary>
internal sealed class WatchReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public static async Task<WatchReader> OpenAsync(HttpClient client, string pathAndQuery)
    {
        var response = await client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new WatchReader(response, new StreamReader(stream));
    }

    /// <summary>The next raw line; null at a clean end of stream.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        return await _reader.ReadLineAsync(cts.Token);
    }

    public async Task<JsonObject> ReadEventAsync(TimeSpan? timeout = null)
    {
        var line = await ReadLineAsync(timeout);
        Assert.NotNull(line);
        return JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>The next event that is not a BOOKMARK.</summary>
    public async Task<JsonObject> ReadChangeAsync()
    {
        while (true)
        {
            var change = await ReadEventAsync();
            if ((string?)change["type"] != "BOOKMARK")
                return change;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
