using System.Globalization;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Imprint.Operator.Hosting;

/// <summary>
/// The operator's telemetry through OpenTelemetry.Extensions.Hosting (started and flushed with the host): metrics of
/// the operator's meter, the .NET runtime and HttpClient, always scrapeable at <see cref="MetricsPath"/>; and, when
/// <see cref="EndpointVariable"/> is set, the same metrics plus spans (reconciles, Kubernetes API calls, their HTTP
/// attempts) pushed over OTLP, configured by the standard OTEL_* variables as before.
/// </summary>
public static class OperatorTelemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ServiceName = "imprint-operator";

    public const string MetricsPath = "/metrics";

    /// <summary>Port of a listener of its own for <see cref="MetricsPath"/> (the chart's container port "metrics"); unset: the app's port.</summary>
    public const string MetricsPortVariable = "IMPRINT_METRICS_PORT";

    /// <summary>The Kestrel default when no URL is configured, kept when the metrics listener is added to it.</summary>
    private const string DefaultUrl = "http://localhost:5000";

    /// <summary>True when OTLP export is configured (<see cref="EndpointVariable"/> in the configuration, e.g. the environment).</summary>
    public static bool ExportsOtlp(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[EndpointVariable]);

    public static IServiceCollection AddOperatorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = ExportsOtlp(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                // The client's instruments sit on a meter of the same name today; naming both keeps them if they part.
                metrics.AddMeter(OperatorMetrics.MeterName, KubernetesInstrumentation.MeterName)
                    .AddRuntimeInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Spans have no pull exporter: without OTLP nothing would read them, so no activity is sampled at all.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(OperatorTracing.SourceName, KubernetesInstrumentation.ActivitySourceName)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// Adds a listener on <see cref="MetricsPortVariable"/> to the app's URLs (ASPNETCORE_URLS) and returns the port, or
    /// null when it is not set. Scrapes then have a port of their own, which a NetworkPolicy or a ServiceMonitor can name.
    /// </summary>
    public static int? AddMetricsListener(this WebApplicationBuilder builder)
    {
        if (builder.Configuration[MetricsPortVariable] is not { Length: > 0 } value)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{MetricsPortVariable} must be a port number (1-65535), not '{value}'.");
        }

        // UseUrls replaces what Kestrel would have bound, so start from that: ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS
        // (the .NET base images' variable), else Kestrel's default.
        const StringSplitOptions Parts = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        string[] urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } configured ? configured.Split(';', Parts)
            : builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey) is { Length: > 0 } ports ? [.. ports.Split(';', Parts).Select(p => $"http://+:{p}")]
            : [DefaultUrl];
        builder.WebHost.UseUrls([.. urls, $"http://+:{port}"]);
        return port;
    }

    /// <summary>
    /// Prometheus text exposition of the metrics above at <see cref="MetricsPath"/>: on <paramref name="port"/> only
    /// when given (the connection's local port decides, not the Host header), else beside /healthz and /readyz.
    /// </summary>
    public static IApplicationBuilder UseOperatorMetrics(this IApplicationBuilder app, int? port) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && (port is null || context.Connection.LocalPort == port));
}
