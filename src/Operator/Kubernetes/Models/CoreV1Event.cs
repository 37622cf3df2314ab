using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>core/v1 Event: the older Event API, which kubelets and most controllers still write (read Pod events here).</summary>
public sealed class CoreV1Event : IKubernetesObject<CoreV1Event>
{
    public static ResourceType Resource { get; } = new("", "v1", "Event", "events", Namespaced: true);

    public static JsonTypeInfo<CoreV1Event> JsonTypeInfo => KubernetesJsonContext.Default.CoreV1Event;

    public static JsonTypeInfo<KubernetesList<CoreV1Event>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListCoreV1Event;

    public static JsonTypeInfo<WatchEvent<CoreV1Event>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventCoreV1Event;

    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Event";

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1ObjectReference InvolvedObject { get; set; } = new();

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }

    public CoreV1EventSource? Source { get; set; }

    public DateTimeOffset? FirstTimestamp { get; set; }

    public DateTimeOffset? LastTimestamp { get; set; }

    public int? Count { get; set; }

    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public EventsV1EventSeries? Series { get; set; }

    public string? Action { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }
}
