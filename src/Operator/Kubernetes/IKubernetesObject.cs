using System.Text.Json.Serialization.Metadata;

namespace Imprint.Operator.Kubernetes;

/// <summary>Any object the API server stores: apiVersion, kind and metadata.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    V1ObjectMeta Metadata { get; set; }
}

/// <summary>
/// A typed kind: knows its API location and its source-generated JSON contract, so the client needs no reflection.
/// </summary>
public interface IKubernetesObject<TSelf> : IKubernetesObject
    where TSelf : class, IKubernetesObject<TSelf>
{
    static abstract ResourceType Resource { get; }

    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }

    static abstract JsonTypeInfo<KubernetesList<TSelf>> ListJsonTypeInfo { get; }

    static abstract JsonTypeInfo<WatchEvent<TSelf>> WatchEventJsonTypeInfo { get; }
}
