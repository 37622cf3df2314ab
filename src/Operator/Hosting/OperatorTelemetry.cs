using Imprint.Operator.Runtime.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Imprint.Operator.Hosting;

/// <summary>
/// OTLP export of the operator's meter and spans, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the
/// standard OTEL_* variables). Built with the plain SDK builders and disposed with the host (flushes on shutdown).
/// </summary>
public sealed class OperatorTelemetry : IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly Lock _lock = new();
    private MeterProvider? _meters;
    private TracerProvider? _tracer;

    public bool IsExporting => _meters is not null;

    public void Start()
    {
        lock (_lock)
        {
            if (_meters is not null || string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EndpointVariable)))
            {
                return;
            }

            var resource = ResourceBuilder.CreateDefault().AddService("imprint-operator");
            _meters = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(OperatorMetrics.MeterName)
                .AddOtlpExporter()
                .Build();
            _tracer = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource(OperatorTracing.SourceName)
                .AddOtlpExporter()
                .Build();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _meters?.Dispose();
            _tracer?.Dispose();
            _meters = null;
            _tracer = null;
        }
    }
}
