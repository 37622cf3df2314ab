using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
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

    /// <summary>Prometheus text exposition of the metrics above at <see cref="MetricsPath"/>, beside /healthz and /readyz.</summary>
    public static IEndpointRouteBuilder MapOperatorMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }
}
