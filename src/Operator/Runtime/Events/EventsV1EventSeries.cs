using System.Text.Json.Serialization;
using Imprint.Operator.Runtime.Serialization;

namespace Imprint.Operator.Runtime.Events;

/// <summary>series of an Event that repeated: how often, and when last.</summary>
public sealed class EventsV1EventSeries
{
    public int Count { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }
}
