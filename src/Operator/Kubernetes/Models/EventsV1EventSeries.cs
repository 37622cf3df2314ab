using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>series of a repeated Event: how many times and when last (events.k8s.io/v1 and core/v1).</summary>
public sealed class EventsV1EventSeries
{
    public int Count { get; set; }

    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }
}
