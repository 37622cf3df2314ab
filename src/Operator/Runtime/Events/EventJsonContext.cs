using System.Text.Json.Serialization;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Runtime.Events;

/// <summary>Source-generated JSON contract of <see cref="EventsV1Event"/> (Kubernetes camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventsV1Event))]
[JsonSerializable(typeof(KubernetesList<EventsV1Event>))]
[JsonSerializable(typeof(WatchEvent<EventsV1Event>))]
public sealed partial class EventJsonContext : JsonSerializerContext;
