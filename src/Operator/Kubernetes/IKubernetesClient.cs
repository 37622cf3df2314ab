using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Kubernetes;

/// <summary>
/// The operations the operator's controllers and runtime make, over any kind with a <c>[KubernetesEntity]</c> (the
/// library's models and ours), KubeOps-style. A null or empty namespace addresses the cluster scope (all namespaces
/// for lists and watches). Errors from the API server surface as <see cref="KubernetesApiException"/>.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>Returns the object or null when it does not exist (404).</summary>
    Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>One page of a list; follow <c>Metadata.ContinueProperty</c> for more.</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Creates the object in its metadata.namespace.</summary>
    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT with metadata.resourceVersion: 409 when stale.</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT on the status subresource.</summary>
    Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>RFC 7386 JSON merge patch.</summary>
    Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>RFC 7386 JSON merge patch on the status subresource.</summary>
    Task<T> PatchStatusAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes; returns false when it was already gone (404).</summary>
    Task<bool> DeleteAsync<T>(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// One watch connection from <see cref="ListOptions.ResourceVersion"/>; ends when the server closes it. Bookmarks
    /// come as <see cref="WatchEventType.Bookmark"/>. A 410 Gone (as HTTP status or as an ERROR event) throws
    /// <see cref="KubernetesApiException"/> with status 410; any other ERROR event throws too.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>The tail of a container's log.</summary>
    Task<string> ReadPodLogAsync(string name, string ns, string? container = null, int? tailLines = null, CancellationToken cancellationToken = default);
}
