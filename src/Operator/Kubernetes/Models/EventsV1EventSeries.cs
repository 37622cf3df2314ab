using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>series of an Event that repeated: how often, and when last.</summary>
public sealed class EventsV1EventSeries
{
    public int Count { get; set; }

    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }
}
