using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Imprint.Operator.Controllers;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Manifests.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Imprint.Operator.Tests.Controllers;

/// <summary>
/// The operator's web app as Program.cs builds it (real controllers, real HTTP client, Kestrel on a free port) against
/// the fake API server with the generated CRDs, scraped and traced from outside.
/// </summary>
public sealed class ImprintOperatorAppTests
{
    private static readonly ResourceType CrdResource = RawObjects.CustomResourceDefinitions;

    [Fact]
    public async Task Metrics_endpoint_serves_the_operators_instruments_and_runtime_and_http_client_metrics()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        var metricsPort = FreePort();
        await using var operatorApp = await StartAppAsync(server, builder =>
            builder.Configuration[OperatorTelemetry.MetricsPortVariable] = metricsPort.ToString(CultureInfo.InvariantCulture));
        var app = operatorApp.App;
        // A GoldenImage whose source claim does not exist: the real controller reconciles it (and waits for the claim).
        await operatorApp.Client.CreateRawAsync(ResourceType.Of<Imprint.Operator.Apis.V1Alpha1.V1Alpha1GoldenImage>(), E2eObjects.GoldenImageFromPvc("default", "scraped", "missing-source"));
        var metrics = app.Services.GetRequiredService<OperatorMetrics>();
        // Product events that need a whole clone to happen for real (the end-to-end tests cover those paths).
        metrics.CloneReady("CsiClone", TimeSpan.FromSeconds(12));
        metrics.Failed("VmClone", "TargetTooSmall");
        metrics.BytesCopied("Copy", 4096);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        using var probes = new HttpClient { BaseAddress = operatorApp.Address };

        var scrape = await ScrapeUntilAsync(http, "imprint_operator_reconciles_total{");

        Assert.Equal("text/plain", scrape.ContentType);
        // /metrics is answered on its own port only; the probes' port still answers the probes.
        Assert.Equal(HttpStatusCode.NotFound, (await probes.GetAsync(new Uri(OperatorTelemetry.MetricsPath, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await probes.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        // Runtime: one reconcile of the GoldenImage, counted by controller and result.
        Assert.Contains(scrape.Samples, s => s.Name == "imprint_operator_reconciles_total" && s.Labels.Contains("controller=\"goldenimage\"", StringComparison.Ordinal) && s.Value >= 1);
        Assert.Contains(scrape.Samples, s => s.Name == "imprint_operator_reconcile_duration_seconds_count" && s.Value >= 1);
        // Product: the histogram in seconds with its strategy label, counters with _total and their labels. The meters
        // are process-wide, so end-to-end tests running in parallel in this process may add to the same series: at least.
        Assert.Contains(scrape.Samples, s => s.Name == "imprint_clone_duration_seconds_sum" && s.Labels.Contains("strategy=\"CsiClone\"", StringComparison.Ordinal) && s.Value >= 12);
        Assert.Contains(scrape.Samples, s => s.Name == "imprint_failures_total" && s.Labels.Contains("reason=\"TargetTooSmall\"", StringComparison.Ordinal) && s.Value >= 1);
        Assert.Contains(scrape.Samples, s => s.Name == "imprint_clone_bytes_copied_bytes_total" && s.Value >= 4096);
        // The Kubernetes client's own counter: the informers listed through the real client.
        Assert.Contains(scrape.Samples, s => s.Name == "imprint_operator_api_requests_total" && s.Labels.Contains("verb=\"LIST\"", StringComparison.Ordinal) && s.Value >= 1);
        // .NET runtime metrics (the runtime's own System.Runtime meter on .NET 9+) and HttpClient metrics of the API calls.
        Assert.Contains(scrape.Samples, s => s.Name == "dotnet_process_memory_working_set_bytes" && s.Value > 0);
        Assert.Contains(scrape.Samples, s => s.Name == "dotnet_gc_heap_total_allocated_bytes_total" && s.Value > 0);
        Assert.Contains(scrape.Samples, s => s.Name == "http_client_request_duration_seconds_count"
            && s.Labels.Contains($"server_port=\"{server.BaseAddress.Port}\"", StringComparison.Ordinal) && s.Value >= 1);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_reconcile_spans_parent_the_kubernetes_client_and_http_spans()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        var recorded = new RecordingProcessor();
        // Nothing listens there: the OTLP exporter fails quietly; the processor sees every span the provider ends,
        // which is what the exporter is handed.
        await using var operatorApp = await StartAppAsync(server, builder =>
        {
            builder.Configuration[OperatorTelemetry.EndpointVariable] = "http://127.0.0.1:9";
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(recorded));
        });

        await operatorApp.Client.CreateRawAsync(ResourceType.Of<Imprint.Operator.Apis.V1Alpha1.V1Alpha1GoldenImage>(), E2eObjects.GoldenImageFromPvc("default", "traced", "missing-source"));
        await Eventually.TrueAsync(() => recorded.Spans.Any(a => a.Source.Name == OperatorTracing.SourceName), "a reconcile span");
        await operatorApp.DisposeAsync();

        var spans = recorded.Spans.ToList();
        var reconcile = spans.First(a => a.Source.Name == OperatorTracing.SourceName && a.DisplayName == "reconcile goldenimage");
        var apiCalls = spans.Where(a => a.Source.Name == KubernetesInstrumentation.ActivitySourceName && a.ParentSpanId == reconcile.SpanId).ToList();
        Assert.NotEmpty(apiCalls);
        Assert.All(apiCalls, a => Assert.Equal(ActivityKind.Client, a.Kind));
        // Each API call's HTTP attempt is a child span from the HttpClient instrumentation, to the fake server's port.
        var call = apiCalls[0];
        var attempt = Assert.Single(spans, a => a.ParentSpanId == call.SpanId);
        Assert.Equal(ActivityKind.Client, attempt.Kind);
        Assert.Equal(server.BaseAddress.Port, attempt.GetTagItem("server.port"));
    }

    private static async Task<OperatorAppUnderTest> StartAppAsync(FakeKubeApiServer server, Action<WebApplicationBuilder>? configure = null)
    {
        var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        foreach (var crd in Directory.GetFiles(Path.Combine(ImprintCluster.RepoRoot, "config", "crd"), "imprint.dev_*.yaml").Order(StringComparer.Ordinal))
        {
            await client.CreateRawAsync(CrdResource, YamlJson.ParseSingle(await File.ReadAllTextAsync(crd))!.AsObject());
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetesClient>(client);
        configure?.Invoke(builder);
        var app = ImprintOperatorApp.Build(builder, new ImprintOptions { LeaderElection = false });
        await app.StartAsync();
        var status = app.Services.GetRequiredService<OperatorStatus>();
        await Eventually.TrueAsync(() => status.IsReady, "the operator synced its watches");
        // The first URL is the probes' (127.0.0.1:0 here); a metrics listener, when configured, comes after it.
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a.Contains("127.0.0.1", StringComparison.Ordinal)));
        return new OperatorAppUnderTest(app, client, address);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Scrapes until a sample named by <paramref name="prefix"/> appears (reconciles run on the controller's worker).</summary>
    private static async Task<Scrape> ScrapeUntilAsync(HttpClient http, string prefix)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await http.GetAsync(new Uri(OperatorTelemetry.MetricsPath, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains(prefix, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return new Scrape(response.Content.Headers.ContentType?.MediaType, [.. text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(Sample.Parse)]);
            }

            await Task.Delay(350); // longer than the exporter's 300 ms response cache
        }
    }

    private sealed record Scrape(string? ContentType, IReadOnlyList<Sample> Samples);

    /// <summary>One line of the Prometheus text format: <c>name{labels} value [timestamp]</c>.</summary>
    private sealed record Sample(string Name, string Labels, double Value)
    {
        public static Sample Parse(string line)
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            var labels = brace < 0 ? "" : line[(brace + 1)..close];
            var rest = (brace < 0 ? line[name.Length..] : line[(close + 1)..]).Trim().Split(' ');
            return new Sample(name, labels, double.Parse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture));
        }
    }

    private sealed class RecordingProcessor : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override void OnEnd(Activity data) => Spans.Enqueue(data);
    }

    private sealed class OperatorAppUnderTest(WebApplication app, KubernetesClient client, Uri address) : IAsyncDisposable
    {
        private bool _disposed;

        public WebApplication App { get; } = app;

        public KubernetesClient Client { get; } = client;

        public Uri Address { get; } = address;

        /// <summary>Stops the host (which flushes the exporters) once, whether the test or <c>await using</c> asks first.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await App.StopAsync();
            await App.DisposeAsync();
            Client.Dispose();
        }
    }
}
