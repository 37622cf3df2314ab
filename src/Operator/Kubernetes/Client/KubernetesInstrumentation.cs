using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// The trace source and metrics of the Kubernetes API calls, recorded by <see cref="KubernetesInstrumentationHandler"/>
/// inside the client library's HTTP pipeline: one span per API request (a child of the current activity), requests by
/// verb and status code, skipped watch lines. Exporters subscribe by these names (the operator's host adds both; watch
/// restarts are counted once, by the informer, in <c>OperatorMetrics</c>).
/// </summary>
public static class KubernetesInstrumentation
{
    public const string ActivitySourceName = "Imprint.Operator.Kubernetes";

    public const string MeterName = "Imprint.Operator";

    public const string RequestCounterName = "imprint.operator.api.requests";

    public const string MalformedWatchLineCounterName = "imprint.operator.api.watch.malformed_lines";

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    internal static Meter Meter { get; } = new(MeterName);

    internal static Counter<long> Requests { get; } =
        Meter.CreateCounter<long>(RequestCounterName, unit: "{request}", description: "Kubernetes API requests (each attempt) by verb and HTTP status code (or timeout/error).");

    internal static Counter<long> MalformedWatchLines { get; } =
        Meter.CreateCounter<long>(MalformedWatchLineCounterName, unit: "{line}", description: "Watch stream lines that were not watch events and were skipped.");

    /// <summary>Counts one attempt; <c>server.address</c>/<c>server.port</c> (OpenTelemetry HTTP client conventions) tell API servers apart.</summary>
    internal static void CountRequest(string verb, string code, Uri? server = null)
    {
        var tags = new System.Diagnostics.TagList { { "verb", verb }, { "code", code } };
        if (server is not null)
        {
            tags.Add("server.address", server.Host);
            tags.Add("server.port", server.Port);
        }

        Requests.Add(1, tags);
    }

    internal static void CountMalformedWatchLine(string resource) =>
        MalformedWatchLines.Add(1, new KeyValuePair<string, object?>("resource", resource));
}
