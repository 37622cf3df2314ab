using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>events.k8s.io/v1 Event (the fields the recorder writes).</summary>
public sealed class EventsV1Event : IKubernetesObject<EventsV1Event>
{
    public static ResourceType Resource { get; } = new("events.k8s.io", "v1", "Event", "events", Namespaced: true);

    public static JsonTypeInfo<EventsV1Event> JsonTypeInfo => KubernetesJsonContext.Default.EventsV1Event;

    public static JsonTypeInfo<KubernetesList<EventsV1Event>> ListJsonTypeInfo => KubernetesJsonContext.Default.KubernetesListEventsV1Event;

    public static JsonTypeInfo<WatchEvent<EventsV1Event>> WatchEventJsonTypeInfo => KubernetesJsonContext.Default.WatchEventEventsV1Event;

    public string? ApiVersion { get; set; } = "events.k8s.io/v1";

    public string? Kind { get; set; } = "Event";

    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public EventsV1EventSeries? Series { get; set; }

    public string? ReportingController { get; set; }

    public string? ReportingInstance { get; set; }

    public string? Action { get; set; }

    public string? Reason { get; set; }

    public V1ObjectReference? Regarding { get; set; }

    public string? Note { get; set; }

    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }
}
