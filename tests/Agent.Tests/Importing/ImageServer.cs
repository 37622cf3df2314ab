using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imprint.Agent.Tests.Importing;

/// <summary>
/// A Kestrel server on 127.0.0.1 (a free port) that serves image files at <c>/NAME</c> with real Range support
/// (ASP.NET Core's file results), and can misbehave on purpose: cut the first response after N bytes, ignore Range,
/// demand an Authorization header. It records each request's Range and Authorization headers.
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _files = new();
    private int _cutsLeft;

    private ImageServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    public ConcurrentQueue<(string Path, string? Range, string? Authorization)> Requests { get; } = new();

    /// <summary>The first this-many responses stop after <see cref="CutAfterBytes"/> and abort the connection.</summary>
    public int CutResponses { get => _cutsLeft; set => _cutsLeft = value; }

    public long CutAfterBytes { get; set; } = 1024 * 1024;

    /// <summary>Serve whole files only, as servers without range support do.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>When set, requests without exactly this Authorization header get 401.</summary>
    public string? RequiredAuthorization { get; set; }

    public static async Task<ImageServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new ImageServer(app);
        app.MapGet("/{name}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public Uri Add(string name, string path)
    {
        _files[name] = path;
        return new Uri(BaseUri, name);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string name)
    {
        var range = context.Request.Headers.Range.ToString();
        var authorization = context.Request.Headers.Authorization.ToString();
        Requests.Enqueue((name, range.Length == 0 ? null : range, authorization.Length == 0 ? null : authorization));
        if (RequiredAuthorization is not null && authorization != RequiredAuthorization)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!_files.TryGetValue(name, out var path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (Interlocked.Decrement(ref _cutsLeft) >= 0)
        {
            // Announce the whole file, send part of it, then drop the connection like a crashing proxy would.
            var length = new FileInfo(path).Length;
            context.Response.ContentLength = length;
            context.Response.Headers.AcceptRanges = "bytes";
            await using var file = File.OpenRead(path);
            var buffer = new byte[CutAfterBytes];
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        if (IgnoreRange)
        {
            context.Request.Headers.Remove("Range");
            context.Request.Headers.Remove("If-Range");
        }

        await Microsoft.AspNetCore.Http.Results.File(path, "application/octet-stream", enableRangeProcessing: !IgnoreRange).ExecuteAsync(context);
    }
}
