using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Status;

/// <summary>
/// Writes status through the /status subresource only when it changed, with the resourceVersion that was read: a
/// conflicting write (409) means someone else moved the object on, and the pass is simply run again on a fresh read.
/// </summary>
public static class StatusWriter
{
    public static T Copy<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(value, typeInfo), typeInfo)!;

    public static bool Same<T>(T? a, T? b, JsonTypeInfo<T?> typeInfo) =>
        JsonSerializer.Serialize(a, typeInfo) == JsonSerializer.Serialize(b, typeInfo);

    /// <summary>Writes <paramref name="status"/> when it differs from <paramref name="before"/>; the result to return from the pass.</summary>
    public static async Task<Runtime.Controllers.ReconcileResult> WriteIfChangedAsync<TEntity, TStatus>(
        IKubernetesClient client, TEntity entity, TStatus? before, TStatus status, JsonTypeInfo<TStatus?> typeInfo, Action<TEntity, TStatus> assign,
        Runtime.Controllers.ReconcileResult onSuccess, CancellationToken cancellationToken)
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
        where TStatus : class
    {
        if (Same(before, status, typeInfo))
        {
            return onSuccess;
        }

        assign(entity, status);
        return await WriteAsync(client, entity, cancellationToken).ConfigureAwait(false)
            ? onSuccess
            : Runtime.Controllers.ReconcileResult.Requeue(TimeSpan.FromMilliseconds(200));
    }

    /// <returns>false when the write lost a race (409) and the pass should be repeated.</returns>
    public static async Task<bool> WriteAsync<TEntity>(IKubernetesClient client, TEntity entity, CancellationToken cancellationToken)
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            var written = await client.ReplaceStatusAsync(entity, cancellationToken).ConfigureAwait(false);

            // The runner learns from the entity it handed over that the object moved on (see EntityControllerRunner).
            entity.Metadata.ResourceVersion = written.Metadata.ResourceVersion;
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            return false;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return true;
        }
    }
}
