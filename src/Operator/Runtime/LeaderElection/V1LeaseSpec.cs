using System.Text.Json.Serialization;
using Imprint.Operator.Runtime.Serialization;

namespace Imprint.Operator.Runtime.LeaderElection;

/// <summary>spec of a Lease: who holds it, since when, last renewal, and how long a renewal is good for.</summary>
public sealed class V1LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }
}
