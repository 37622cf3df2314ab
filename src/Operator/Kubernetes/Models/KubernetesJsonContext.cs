using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>Source-generated JSON contracts of the built-in kinds (Kubernetes camelCase, nulls omitted), so no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(KubernetesList<V1Namespace>))]
[JsonSerializable(typeof(WatchEvent<V1Namespace>))]
[JsonSerializable(typeof(V1PersistentVolumeClaim))]
[JsonSerializable(typeof(KubernetesList<V1PersistentVolumeClaim>))]
[JsonSerializable(typeof(WatchEvent<V1PersistentVolumeClaim>))]
[JsonSerializable(typeof(V1Job))]
[JsonSerializable(typeof(KubernetesList<V1Job>))]
[JsonSerializable(typeof(WatchEvent<V1Job>))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(KubernetesList<V1Pod>))]
[JsonSerializable(typeof(WatchEvent<V1Pod>))]
[JsonSerializable(typeof(V1StorageClass))]
[JsonSerializable(typeof(KubernetesList<V1StorageClass>))]
[JsonSerializable(typeof(WatchEvent<V1StorageClass>))]
[JsonSerializable(typeof(V1VolumeSnapshot))]
[JsonSerializable(typeof(KubernetesList<V1VolumeSnapshot>))]
[JsonSerializable(typeof(WatchEvent<V1VolumeSnapshot>))]
[JsonSerializable(typeof(V1SubjectAccessReview))]
[JsonSerializable(typeof(KubernetesList<V1SubjectAccessReview>))]
[JsonSerializable(typeof(WatchEvent<V1SubjectAccessReview>))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(KubernetesList<V1ConfigMap>))]
[JsonSerializable(typeof(WatchEvent<V1ConfigMap>))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(KubernetesList<V1Secret>))]
[JsonSerializable(typeof(WatchEvent<V1Secret>))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext;
