using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Finalizers;
using Imprint.Operator.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Hosting;

/// <summary>What one controller watches besides its own kind, its finalizers, and its options.</summary>
public sealed class ControllerRegistration<TEntity>(ControllerOptions options)
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<Func<IServiceProvider, IOwnedResourceWatch>> _owned = [];
    private readonly List<FinalizerRegistration> _finalizers = [];

    public ControllerOptions Options { get; set; } = options;

    public IReadOnlyList<FinalizerRegistration> Finalizers => _finalizers;

    /// <summary>Reconcile the owner when a <typeparamref name="TOwned"/> it controls (ownerReference controller=true) changes.</summary>
    public ControllerRegistration<TEntity> Owns<TOwned>(string? labelSelector = null)
        where TOwned : class, IKubernetesObject<V1ObjectMeta>
    {
        _owned.Add(sp => new OwnedResourceWatch<TOwned>(
            sp.GetRequiredService<IKubernetesClient>(),
            ResourceType.Of<TEntity>(),
            Options.Watch with { Namespace = Options.Namespace, LabelSelector = labelSelector },
            sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Imprint.Operator.Watch.{ResourceType.Of<TOwned>().Kind}"),
            sp.GetService<TimeProvider>(),
            sp.GetService<OperatorMetrics>()));
        return this;
    }

    /// <summary>Reconcile the owner of a Job when one of the Job's Pods changes (job-name label → Job → owner).</summary>
    public ControllerRegistration<TEntity> OwnsPodsOfJobs<TPod, TJob>()
        where TPod : class, IKubernetesObject<V1ObjectMeta>
        where TJob : class, IKubernetesObject<V1ObjectMeta>
    {
        _owned.Add(sp => new JobPodWatch<TPod, TJob>(
            sp.GetRequiredService<IKubernetesClient>(),
            ResourceType.Of<TEntity>(),
            Options.Watch with { Namespace = Options.Namespace },
            sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Imprint.Operator.Watch.{ResourceType.Of<TPod>().Kind}"),
            sp.GetService<TimeProvider>(),
            sp.GetService<OperatorMetrics>()));
        return this;
    }

    internal void AddFinalizer(FinalizerRegistration finalizer)
    {
        if (_finalizers.Any(f => f.Name == finalizer.Name))
        {
            throw new InvalidOperationException($"Finalizer '{finalizer.Name}' is registered twice for {ResourceType.Of<TEntity>().Kind}");
        }

        _finalizers.Add(finalizer);
    }

    internal EntityControllerRunner<TEntity> CreateRunner(IServiceProvider services) => new(
        services.GetRequiredService<IKubernetesClient>(),
        services,
        Options,
        _finalizers,
        [.. _owned.Select(create => create(services))],
        services.GetRequiredService<ILoggerFactory>(),
        services.GetRequiredService<OperatorMetrics>(),
        services.GetService<TimeProvider>());
}
