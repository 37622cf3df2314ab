using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// An in-process Kubernetes API server for tests: real REST, watch and error semantics over HTTP on 127.0.0.1,
/// with an in-memory store that survives <see cref="RestartAsync"/>.
/// </summary>
public sealed partial class FakeKubeApiServer : IAsyncDisposable
{
    private readonly FakeApiServerOptions _options;
    private readonly ResourceRegistry _registry = new();
    private readonly CustomResourceValidator _validator = new();
    private readonly ObjectStore _store;
    private readonly ClusterControllers _controllers;
    private readonly FaultInjector _faults = new();
    private readonly RbacAuthorizer _rbac = new();
    private readonly ApiRequestHandler _handler;
    private readonly ConcurrentDictionary<(string Ns, string Name), string> _podLogs = new();
    private readonly Lock _requestsGate = new();
    private readonly List<RequestRecord> _requests = [];
    private WebApplication? _app;
    private int _port;

    private FakeKubeApiServer(FakeApiServerOptions options)
    {
        _options = options;
        _store = new ObjectStore(_registry, _validator, options);
        _controllers = new ClusterControllers(_store);
        _store.Committed += change =>
        {
            _controllers.Poke();
            Changed?.Invoke(this, change);
        };
        _handler = new ApiRequestHandler(_registry, _store, new WatchStreamer(_store, options), _faults, _podLogs, _rbac);
    }

    /// <summary>Raised after every committed write, outside the store lock, so handlers may write back.</summary>
    public event EventHandler<ObjectChange>? Changed;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public static async Task<FakeKubeApiServer> StartAsync(FakeApiServerOptions? options = null, CancellationToken ct = default)
    {
        var server = new FakeKubeApiServer(options ?? new FakeApiServerOptions());
        await server.StartHostAsync(ct);
        return server;
    }

    /// <summary>Stops and starts Kestrel on the same port, keeping the store and dropping open watches mid-stream.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        await StopHostAsync(ct);
        await StartHostAsync(ct);
    }

    /// <summary>Ends every open watch stream cleanly, as when the server closes idle watches.</summary>
    public void DropWatchConnections() => _store.CloseWatches(abort: false);

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync(CancellationToken.None);
        await _controllers.DisposeAsync();
    }

    private async Task StartHostAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
        _app = app;
    }

    private async Task StopHostAsync(CancellationToken ct)
    {
        if (_app is not { } app)
            return;
        _app = null;
        _store.CloseWatches(abort: true);
        await app.StopAsync(ct);
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            await _handler.HandleAsync(context);
        }
        finally
        {
            var record = new RequestRecord(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", context.Response.StatusCode, _rbac.UserOf(context.Request));
            lock (_requestsGate)
                _requests.Add(record);
        }
    }
}
