using System.Collections.Concurrent;
using Imprint.Operator.Tests.Kubernetes.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>
/// An HTTP server on 127.0.0.1 whose files a test replaces while it runs, as a distribution replaces its "latest"
/// image and checksum file: GET and HEAD (with ETag, Last-Modified and Content-Length), every request logged.
/// </summary>
public sealed class ChangingFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();

    private ChangingFileServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request so far: method and path, in order.</summary>
    public IReadOnlyList<(string Method, string Path)> Requests => [.. _requests];

    public static async Task<ChangingFileServer> StartAsync()
    {
        ChangingFileServer? server = null;
        var (app, baseAddress) = await LoopbackWebApp.StartAsync(app => app.MapMethods("/{name}", ["GET", "HEAD"], (string name, HttpRequest request) =>
        {
            server!._requests.Enqueue((request.Method, request.Path.Value!));
            return server._files.TryGetValue(name, out var path)
                ? Results.File(path, "application/octet-stream", lastModified: File.GetLastWriteTimeUtc(path),
                    entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{File.GetLastWriteTimeUtc(path).Ticks:x}-{new FileInfo(path).Length:x}\""), enableRangeProcessing: true)
                : Results.NotFound();
        }));
        server = new ChangingFileServer(app, baseAddress);
        return server;
    }

    /// <summary>Serves <paramref name="path"/> as /<paramref name="name"/> from now on.</summary>
    public Uri Serve(string name, string path)
    {
        _files[name] = path;
        return new Uri(BaseAddress, name);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
