using k8s;
using k8s.Models;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Runtime.Status;

/// <summary>
/// Status writes that survive optimistic-concurrency races (client-go's RetryOnConflict): the status subresource is
/// replaced with the resourceVersion the caller read; on 409 the object is read again, the same change re-applied to
/// the fresh copy and written again, a bounded number of times. Spec is never written.
/// </summary>
public static class StatusUpdateExtensions
{
    public const int DefaultMaxAttempts = 5;

    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Applies <paramref name="applyStatus"/> to <paramref name="entity"/> and writes its status; on a conflict re-reads
    /// the object and applies it again. Returns the object as stored. Throws the last 409 after
    /// <paramref name="maxAttempts"/> attempts, and a 404 <see cref="KubernetesApiException"/> when the object is gone.
    /// </summary>
    public static async Task<T> UpdateStatusAsync<T>(
        this IKubernetesClient client,
        T entity,
        Action<T> applyStatus,
        int maxAttempts = DefaultMaxAttempts,
        CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(applyStatus);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var current = entity;
        for (var attempt = 1; ; attempt++)
        {
            applyStatus(current);
            try
            {
                return await client.ReplaceStatusAsync(current, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException ex) when (ex.IsConflict && attempt < maxAttempts)
            {
                // Someone wrote the object since it was read: jittered pause, then start from what the server has now.
                var delay = BaseDelay * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                var name = current.Metadata.Name!;
                var ns = current.Metadata.NamespaceProperty;
                current = await client.GetAsync<T>(name, ns, cancellationToken).ConfigureAwait(false)
                    ?? throw new KubernetesApiException(System.Net.HttpStatusCode.NotFound, "NotFound", $"{ResourceType.Of<T>().Kind} {new EntityKey(ns, name)} was deleted while its status was being written.");
            }
        }
    }
}
