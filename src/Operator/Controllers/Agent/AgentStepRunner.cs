using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Starts a step's Job when it does not exist yet (its input ConfigMap first) and otherwise reports how it stands.
/// Creation is idempotent: an AlreadyExists from a racing pass or a restarted operator counts as started.
/// </summary>
public sealed class AgentStepRunner(IKubernetesClient client, AgentOptions options, CachedReader? reader = null)
{
    private readonly AgentJobTracker _tracker = new(client, reader);

    /// <param name="configMapName">The step's own ConfigMap holding <paramref name="inputFiles"/> (e.g. customize.json).</param>
    public async Task<AgentJobObservation> RunAsync(AgentJobRequest request, CancellationToken cancellationToken, string? configMapName = null, IReadOnlyDictionary<string, string>? inputFiles = null)
    {
        var ns = request.Namespace ?? request.Owner.Metadata.NamespaceProperty!;
        var observation = await _tracker.ObserveAsync(request.Name, ns, readProgress: true, cancellationToken).ConfigureAwait(false);
        if (observation.State != AgentJobState.Missing)
        {
            return observation;
        }

        await EnsureServiceAccountAsync(ns, cancellationToken).ConfigureAwait(false);
        if (inputFiles is { Count: > 0 } && configMapName is not null)
        {
            var configMap = new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = configMapName,
                    NamespaceProperty = ns,
                    Labels = AgentJobBuilder.Labels(request),
                    OwnerReferences = ns == request.Owner.Metadata.NamespaceProperty ? [AgentJobBuilder.OwnerReference(request.Owner)] : null,
                },
                Data = new Dictionary<string, string>(inputFiles, StringComparer.Ordinal),
                Immutable = true,
            };
            await CreateIgnoringExistingAsync(configMap, cancellationToken).ConfigureAwait(false);
        }

        var requestKvm = await KvmDevice.ShouldRequestAsync(client, options, cancellationToken).ConfigureAwait(false);
        await CreateIgnoringExistingAsync(AgentJobBuilder.Build(request, options, requestKvm), cancellationToken).ConfigureAwait(false);
        return new AgentJobObservation(AgentJobState.Running);
    }

    /// <summary>How a step's Job stands, without starting it.</summary>
    public Task<AgentJobObservation> ObserveAsync(AgentJobRequest request, CancellationToken cancellationToken) =>
        _tracker.ObserveAsync(request.Name, request.Namespace ?? request.Owner.Metadata.NamespaceProperty!, readProgress: true, cancellationToken);

    /// <summary>How a Job stands, by name, without its progress.</summary>
    public Task<AgentJobObservation> ObserveJobAsync(string name, string ns, CancellationToken cancellationToken) =>
        _tracker.ObserveAsync(name, ns, readProgress: false, cancellationToken);

    /// <summary>Deletes every Job and ConfigMap made for an owner (pods go with their Jobs).</summary>
    public async Task CleanupAsync(string ns, string ownerKind, string ownerName, CancellationToken cancellationToken)
    {
        var selector = AgentLabels.SelectorFor(ownerKind, ownerName);
        await LabelledObjects.DeleteAsync<V1Job>(client, ns, selector, cancellationToken).ConfigureAwait(false);
        await LabelledObjects.DeleteAsync<V1ConfigMap>(client, ns, selector, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Jobs run next to the disks, in the owners' namespaces, and a pod naming a missing ServiceAccount is never
    /// created; so the agent's account (no token, no roles: the agent needs no API access) is made where it is missing.
    /// </summary>
    private async Task EnsureServiceAccountAsync(string ns, CancellationToken ct)
    {
        if (options.ServiceAccountName is "default" or "" || await client.GetAsync<V1ServiceAccount>(options.ServiceAccountName, ns, ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        await CreateIgnoringExistingAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = options.ServiceAccountName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [AgentLabels.Name] = "imprint",
                    [AgentLabels.Component] = "agent",
                    [AgentLabels.ManagedBy] = AgentLabels.ManagedByValue,
                },
            },
            AutomountServiceAccountToken = false,
        }, ct).ConfigureAwait(false);
    }

    private async Task CreateIgnoringExistingAsync<T>(T obj, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await client.CreateAsync(obj, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            // AlreadyExists: made by an earlier pass.
        }
    }
}
