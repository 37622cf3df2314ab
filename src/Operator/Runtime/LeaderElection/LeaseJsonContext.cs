using System.Text.Json.Serialization;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Runtime.LeaderElection;

/// <summary>Source-generated JSON contract of <see cref="V1Lease"/> (Kubernetes camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(KubernetesList<V1Lease>))]
[JsonSerializable(typeof(WatchEvent<V1Lease>))]
public sealed partial class LeaseJsonContext : JsonSerializerContext;
