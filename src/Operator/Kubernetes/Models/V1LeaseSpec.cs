using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>spec of a Lease: who holds it, since when, last renewal, and how long a renewal is good for.</summary>
public sealed class V1LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }
}
