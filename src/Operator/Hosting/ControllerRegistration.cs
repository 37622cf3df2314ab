using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Finalizers;
using Imprint.Operator.Runtime.Informers;
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
    private readonly List<Func<SharedInformerFactory, IOwnerEventSource>> _owned = [];
    private readonly List<FinalizerRegistration> _finalizers = [];

    public ControllerOptions Options { get; set; } = options;

    public IReadOnlyList<FinalizerRegistration> Finalizers => _finalizers;

    /// <summary>
    /// Reconcile the owner when a <typeparamref name="TOwned"/> it controls (ownerReference controller=true) changes.
    /// The process's one <typeparamref name="TOwned"/> informer watches with <paramref name="labelSelector"/>.
    /// </summary>
    public ControllerRegistration<TEntity> Owns<TOwned>(string? labelSelector = null)
        where TOwned : class, IKubernetesObject<V1ObjectMeta>
    {
        _owned.Add(informers => new OwnedObjectSource<TOwned>(informers.For<TOwned>(labelSelector), ResourceType.Of<TEntity>()));
        return this;
    }

    /// <summary>
    /// Reconcile the owner of a Job when one of the Job's Pods changes (pod → Job in the Job cache → owner). The pod
    /// informer watches with <paramref name="podLabelSelector"/> (the labels our Jobs give their pod template).
    /// </summary>
    public ControllerRegistration<TEntity> OwnsPodsOfJobs<TPod, TJob>(string? podLabelSelector = null)
        where TPod : class, IKubernetesObject<V1ObjectMeta>
        where TJob : class, IKubernetesObject<V1ObjectMeta>
    {
        _owned.Add(informers => new JobPodSource<TPod, TJob>(informers.For<TPod>(podLabelSelector), informers.For<TJob>(), ResourceType.Of<TEntity>()));
        return this;
    }

    /// <summary>
    /// Reconcile the objects <paramref name="map"/> names when a <typeparamref name="TSource"/> changes (not owned: e.g.
    /// claims naming a template). <paramref name="map"/> gets the process's informers once and returns the per-event
    /// mapping, which must read caches only; <paramref name="synced"/> says when the caches it reads have listed.
    /// </summary>
    public ControllerRegistration<TEntity> Watches<TSource>(
        Func<SharedInformerFactory, Func<InformerEvent<TSource>, IEnumerable<EntityKey>>> map,
        Func<SharedInformerFactory, Func<bool>>? synced = null)
        where TSource : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        _owned.Add(informers => new MappedEventSource<TSource>(informers.For<TSource>(), map(informers), synced?.Invoke(informers)));
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

    internal EntityControllerRunner<TEntity> CreateRunner(IServiceProvider services)
    {
        var informers = services.GetRequiredService<SharedInformerFactory>();
        return new(
            services.GetRequiredService<IKubernetesClient>(),
            services,
            Options,
            _finalizers,
            informers,
            [.. _owned.Select(create => create(informers))],
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<OperatorMetrics>(),
            services.GetService<TimeProvider>());
    }
}
