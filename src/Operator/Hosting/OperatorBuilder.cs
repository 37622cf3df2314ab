using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Finalizers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Imprint.Operator.Hosting;

/// <summary>Registers controllers and finalizers (KubeOps-style): <c>services.AddImprintOperator().AddController&lt;T, C&gt;()</c>.</summary>
public sealed class OperatorBuilder(IServiceCollection services, OperatorOptions options)
{
    private readonly Dictionary<Type, object> _registrations = [];

    public IServiceCollection Services { get; } = services;

    public OperatorOptions Options { get; } = options;

    public OperatorBuilder AddController<TEntity, TController>(Action<ControllerRegistration<TEntity>>? configure = null)
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
        where TController : class, IEntityController<TEntity>
    {
        if (_registrations.ContainsKey(typeof(TEntity)))
        {
            throw new InvalidOperationException($"A controller for {ResourceType.Of<TEntity>().Kind} is already registered");
        }

        var registration = new ControllerRegistration<TEntity>(Options.ControllerDefaults);
        configure?.Invoke(registration);
        _registrations[typeof(TEntity)] = registration;
        Services.TryAddScoped<IEntityController<TEntity>, TController>();
        Services.AddSingleton<IControllerRunner>(sp => registration.CreateRunner(sp));
        return this;
    }

    /// <summary>Adds a finalizer named <c>&lt;group&gt;/&lt;purpose&gt;</c> to the controller of <typeparamref name="TEntity"/>.</summary>
    public OperatorBuilder AddFinalizer<TEntity, TFinalizer>(string name)
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
        where TFinalizer : class, IEntityFinalizer<TEntity> => AddFinalizer<TEntity, TFinalizer>(name, null);

    /// <summary>
    /// Adds a finalizer that the runtime puts only on objects for which <paramref name="appliesTo"/> holds (e.g. claims
    /// being populated, not every claim of the cluster); once on an object it runs at deletion like any other. Taking it
    /// off an object that no longer needs it is the controller's business.
    /// </summary>
    public OperatorBuilder AddFinalizer<TEntity, TFinalizer>(string name, Func<TEntity, bool>? appliesTo)
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
        where TFinalizer : class, IEntityFinalizer<TEntity>
    {
        if (!_registrations.TryGetValue(typeof(TEntity), out var registration))
        {
            throw new InvalidOperationException($"Add the controller for {ResourceType.Of<TEntity>().Kind} before its finalizer '{name}'");
        }

        ((ControllerRegistration<TEntity>)registration).AddFinalizer(new FinalizerRegistration(name, typeof(TFinalizer)) { AppliesTo = appliesTo is null ? null : o => appliesTo((TEntity)o) });
        Services.TryAddScoped<TFinalizer>();
        return this;
    }
}
