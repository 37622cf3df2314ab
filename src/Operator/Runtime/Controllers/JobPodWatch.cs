using System.Threading.Channels;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Imprint.Operator.Runtime.Watching;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// Watches Pods created by Jobs and enqueues the owner of their Job: pod → <c>job-name</c> label (or the pod's
/// controlling Job reference) → Job → the Job's controlling owner. The Job is read with a GET, off the watch loop.
/// </summary>
public sealed class JobPodWatch<TPod, TJob>(
    IKubernetesClient client,
    ResourceType owner,
    EntityWatcherOptions options,
    ILogger logger,
    TimeProvider? timeProvider = null,
    OperatorMetrics? metrics = null) : IOwnedResourceWatch
    where TPod : class, IKubernetesObject<V1ObjectMeta>
    where TJob : class, IKubernetesObject<V1ObjectMeta>
{
    public const string JobNameLabel = "job-name";

    public const string QualifiedJobNameLabel = "batch.kubernetes.io/job-name";

    private SharedInformer<TPod>? _informer;

    public bool IsSynced => _informer?.HasSynced == true;

    /// <summary>The Job pods seen by the current run (null before it starts).</summary>
    public IInformerCache<TPod>? Cache => _informer;

    public async Task RunAsync(Action<EntityKey> enqueueOwner, CancellationToken cancellationToken)
    {
        var jobs = Channel.CreateUnbounded<EntityKey>(new UnboundedChannelOptions { SingleReader = true });
        var informer = new SharedInformer<TPod>(
            client,
            options with { LabelSelector = options.LabelSelector ?? JobNameLabel },
            logger,
            timeProvider,
            metrics);
        informer.AddEventHandler(e =>
        {
            if (JobOf(e.Object) is { } job)
            {
                jobs.Writer.TryWrite(job);
            }
        });
        _informer = informer;

        var watch = informer.RunAsync(cancellationToken);
        try
        {
            await foreach (var job in jobs.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await MapJobAsync(job, enqueueOwner, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await watch.ConfigureAwait(false);
    }

    private static EntityKey? JobOf(TPod pod)
    {
        var labels = pod.Metadata.Labels;
        string? name = null;
        if (labels is not null && !labels.TryGetValue(QualifiedJobNameLabel, out name))
        {
            labels.TryGetValue(JobNameLabel, out name);
        }

        name ??= pod.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == ResourceType.Of<TJob>().Kind)?.Name;
        return name is null ? null : new EntityKey(pod.Metadata.NamespaceProperty, name);
    }

    private async Task MapJobAsync(EntityKey job, Action<EntityKey> enqueueOwner, CancellationToken cancellationToken)
    {
        try
        {
            var found = await client.GetAsync<TJob>(job.Name, job.Namespace, cancellationToken).ConfigureAwait(false);
            if (found is not null && OwnerReferences.ControllerOwner(found, owner) is { } key)
            {
                enqueueOwner(key);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not map pods of Job {Job} to their owner", job);
        }
    }
}
