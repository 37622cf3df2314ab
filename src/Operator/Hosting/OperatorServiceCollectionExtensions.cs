using System.Diagnostics.Metrics;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.LeaderElection;
using Imprint.Operator.Runtime.Metrics;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Hosting;

/// <summary>Entry point of the registration API. The app registers its <see cref="IKubernetesClient"/> itself.</summary>
public static class OperatorServiceCollectionExtensions
{
    public static OperatorBuilder AddImprintOperator(this IServiceCollection services, Action<OperatorOptions>? configure = null)
    {
        var options = new OperatorOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new OperatorMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new SharedInformerFactory(
            sp.GetRequiredService<IKubernetesClient>(),
            options.ControllerDefaults.Watch with { Namespace = options.ControllerDefaults.Namespace },
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<OperatorMetrics>()));
        services.TryAddSingleton<ControllerManager>();
        services.TryAddSingleton<OperatorStatus>();
        services.TryAddSingleton<IEventRecorder>(sp => new EventRecorder(
            sp.GetRequiredService<IKubernetesClient>(),
            new EventRecorderOptions { ReportingController = options.ReportingController, ReportingInstance = options.Identity },
            sp.GetRequiredService<ILogger<EventRecorder>>(),
            sp.GetService<TimeProvider>()));
        if (options.LeaderElection)
        {
            services.TryAddSingleton(sp => new LeaderElector(
                LibraryClient(sp),
                options.ToLeaderElectionOptions(),
                sp.GetRequiredService<ILogger<LeaderElector>>()));
        }

        services.AddHostedService<OperatorHostedService>();
        return new OperatorBuilder(services, options);
    }

    /// <summary>The client library itself (leader election runs on its LeaseLock): a registered IKubernetes, else the one behind our facade.</summary>
    public static IKubernetes LibraryClient(IServiceProvider services) =>
        services.GetService<IKubernetes>()
        ?? (services.GetRequiredService<IKubernetesClient>() as KubernetesClient)?.Api
        ?? throw new InvalidOperationException("Leader election needs the client library: register KubernetesClient as IKubernetesClient, or an IKubernetes.");
}
