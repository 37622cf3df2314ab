using System.Text.Json.Nodes;

namespace Imprint.Operator.Kubernetes;

/// <summary>
/// The thin typed client the operator needs. Shaped so the real KubernetesClient could stand behind it.
/// Errors from the API server surface as <see cref="KubernetesApiException"/>.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>Returns the object or null when it does not exist (404).</summary>
    Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>One page of a list; follow <see cref="V1ListMeta.Continue"/> for more.</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>PUT with metadata.resourceVersion: 409 when stale.</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>PUT on the status subresource.</summary>
    Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>RFC 7386 JSON merge patch.</summary>
    Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>RFC 7386 JSON merge patch on the status subresource.</summary>
    Task<T> PatchStatusAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>Deletes; returns false when it was already gone (404).</summary>
    Task<bool> DeleteAsync<T>(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>
    /// One watch connection from <see cref="ListOptions.ResourceVersion"/>; ends when the server closes it.
    /// A 410 Gone (as HTTP status or as an ERROR event) throws <see cref="KubernetesApiException"/> with status 410.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>;

    /// <summary>The tail of a container's log.</summary>
    Task<string> ReadPodLogAsync(string name, string ns, string? container = null, int? tailLines = null, CancellationToken cancellationToken = default);
}
