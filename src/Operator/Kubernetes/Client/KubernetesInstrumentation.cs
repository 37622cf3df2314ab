using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>The trace source and metrics of API calls: one span per call, one counter tagged by verb and status code.</summary>
public static class KubernetesInstrumentation
{
    public const string ActivitySourceName = "Imprint.Operator.Kubernetes";

    public const string MeterName = "Imprint.Operator";

    public const string RequestCounterName = "imprint.operator.api.requests";

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    internal static Meter Meter { get; } = new(MeterName);

    internal static Counter<long> Requests { get; } =
        Meter.CreateCounter<long>(RequestCounterName, unit: "{request}", description: "Kubernetes API requests by verb and HTTP status code.");

    /// <summary>Counts one attempt; <c>server.address</c>/<c>server.port</c> (OpenTelemetry HTTP client conventions) tell API servers apart.</summary>
    internal static void CountRequest(string verb, string code, Uri server) =>
        Requests.Add(
            1,
            new KeyValuePair<string, object?>("verb", verb),
            new KeyValuePair<string, object?>("code", code),
            new KeyValuePair<string, object?>("server.address", server.Host),
            new KeyValuePair<string, object?>("server.port", server.Port));
}
