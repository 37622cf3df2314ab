using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Imprint.Operator.Tests.Kubernetes.Support;

/// <summary>
/// A scripted Kestrel server on 127.0.0.1: each test answers requests with
/// its own handler and then inspects what the client sent.
/// </summary>
public sealed class KestrelApiStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelApiStub(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public static async Task<KestrelApiStub> StartAsync(Func<HttpContext, StubRequest, Task> handler)
    {
        KestrelApiStub? stub = null;
        var (app, baseAddress) = await LoopbackWebApp.StartAsync(app => app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new StubRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.ContentType,
                context.Request.Headers.Authorization.ToString(),
                body,
                DateTimeOffset.UtcNow);
            stub!.Requests.Enqueue(request);
            await handler(context, request);
        }));
        stub = new KestrelApiStub(app, baseAddress);
        return stub;
    }

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, string json)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public static string Status(int code, string reason, string message, string causes = "[]") =>
        $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{message}}","reason":"{{reason}}","details":{"causes":{{causes}}},"code":{{code}}}""";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
