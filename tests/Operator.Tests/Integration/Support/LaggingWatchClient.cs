using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Integration.Support;

/// <summary>
/// A client whose watch events arrive <paramref name="lag"/> late (a busy API server or a slow network), so an informer
/// built on it trails the server; every other call goes straight through.
/// </summary>
public sealed class LaggingWatchClient(IKubernetesClient inner, TimeSpan lag) : IKubernetesClient
{
    public Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.GetAsync<T>(name, ns, cancellationToken);

    public Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.ListAsync<T>(ns, options, cancellationToken);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.CreateAsync(obj, cancellationToken);

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.ReplaceAsync(obj, cancellationToken);

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.ReplaceStatusAsync(obj, cancellationToken);

    public Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.PatchAsync<T>(name, ns, mergePatch, cancellationToken);

    public Task<T> PatchStatusAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.PatchStatusAsync<T>(name, ns, mergePatch, cancellationToken);

    public Task<bool> DeleteAsync<T>(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.DeleteAsync<T>(name, ns, propagation, cancellationToken);

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(string? ns, ListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var watchEvent in inner.WatchAsync<T>(ns, options, cancellationToken).ConfigureAwait(false))
        {
            if (watchEvent.Type != WatchEventType.Bookmark)
            {
                await Task.Delay(lag, cancellationToken).ConfigureAwait(false);
            }

            yield return watchEvent;
        }
    }

    public Task<string> ReadPodLogAsync(string name, string ns, string? container = null, int? tailLines = null, CancellationToken cancellationToken = default) =>
        inner.ReadPodLogAsync(name, ns, container, tailLines, cancellationToken);
}
