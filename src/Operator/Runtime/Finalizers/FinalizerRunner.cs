using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Finalizers;

/// <summary>
/// Adds registered finalizers to live objects and, once deletion has started, runs each and removes it. Both writes are
/// merge patches of metadata.finalizers that carry the object's resourceVersion, so a concurrent change to the list
/// (another controller's finalizer) makes the patch fail with 409 instead of being overwritten.
/// </summary>
public sealed class FinalizerRunner<TEntity>(
    IKubernetesClient client,
    IReadOnlyList<FinalizerRegistration> finalizers,
    TimeSpan finalizerTimeout,
    ILogger logger,
    TimeProvider? timeProvider = null)
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>True when every registered finalizer the object wants is on it (nothing for <see cref="EnsureAddedAsync"/> to add).</summary>
    public bool AllPresent(TEntity entity)
    {
        var current = entity.Metadata.Finalizers ?? [];
        return finalizers.All(f => current.Contains(f.Name) || !f.IsWanted(entity));
    }

    /// <summary>Adds the missing registered finalizers; returns the object as the server now has it.</summary>
    public async Task<TEntity> EnsureAddedAsync(TEntity entity, CancellationToken cancellationToken)
    {
        var current = entity.Metadata.Finalizers ?? [];
        var missing = finalizers.Where(f => !current.Contains(f.Name) && f.IsWanted(entity)).Select(f => f.Name).ToList();
        if (missing.Count == 0)
        {
            return entity;
        }

        return await PatchFinalizersAsync(entity, [.. current, .. missing], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs every registered finalizer still on the object, removing each after it succeeds. Each run and its removal
    /// get their own bounded token, so a shutdown that cancels reconciles cannot leave cleanup half done.
    /// </summary>
    /// <param name="written">Told of the object after each finalizer removal (the version the server answered with).</param>
    public async Task<int> RunPendingAsync(TEntity entity, IServiceProvider scope, Action<TEntity>? written = null)
    {
        var ran = 0;
        foreach (var registration in finalizers)
        {
            if (entity.Metadata.Finalizers?.Contains(registration.Name) != true)
            {
                continue;
            }

            using var bounded = new CancellationTokenSource(finalizerTimeout, _time);
            var finalizer = (IEntityFinalizer<TEntity>)scope.GetRequiredService(registration.Implementation);
            logger.LogInformation("Running finalizer {Finalizer} on {Kind} {Key}", registration.Name, ResourceType.Of<TEntity>().Kind, EntityKey.Of(entity));
            await finalizer.FinalizeAsync(entity, bounded.Token).ConfigureAwait(false);

            var remaining = entity.Metadata.Finalizers.Where(n => n != registration.Name).ToList();
            entity = await PatchFinalizersAsync(entity, remaining, bounded.Token).ConfigureAwait(false);
            written?.Invoke(entity);
            ran++;
        }

        return ran;
    }

    private Task<TEntity> PatchFinalizersAsync(TEntity entity, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var list = new JsonArray();
        foreach (var name in names)
        {
            list.Add(name);
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = entity.Metadata.ResourceVersion,
                ["finalizers"] = list,
            },
        };
        return client.PatchAsync<TEntity>(entity.Metadata.Name!, entity.Metadata.NamespaceProperty, patch, cancellationToken);
    }
}
