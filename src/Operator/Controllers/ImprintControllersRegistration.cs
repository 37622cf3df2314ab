using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.VmClones;
using Imprint.Operator.Hosting;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Imprint.Operator.Controllers;

/// <summary>
/// Registers the GoldenImage and VmClone controllers, what they watch besides their kind, and their finalizers. Both
/// share the process's one informer per kind: GoldenImages, VmClones, Jobs, pods and PVCs — five watch streams.
/// </summary>
public static class ImprintControllersRegistration
{
    /// <summary>
    /// What the Job, pod and PVC informers watch: only objects we made (pods carry their Job template's labels). A
    /// user's claim named by a GoldenImage source is outside it and read from the API when needed.
    /// </summary>
    public const string OwnedSelector = $"{Agent.AgentLabels.ManagedBy}={Agent.AgentLabels.ManagedByValue}";

    public static OperatorBuilder AddImprintControllers(this OperatorBuilder builder, ImprintOptions options)
    {
        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddSingleton(new Storage.StorageCapabilityRegistry(options.Storage));
        builder
            .AddController<V1Alpha1GoldenImage, GoldenImageController>(r => r
                .Owns<V1Job>(OwnedSelector)
                .Owns<V1PersistentVolumeClaim>(OwnedSelector)
                .OwnsPodsOfJobs<V1Pod, V1Job>(OwnedSelector))
            .AddFinalizer<V1Alpha1GoldenImage, GoldenImageInUseFinalizer>(GoldenImageInUseFinalizer.Name)
            .AddController<V1Alpha1VmClone, VmCloneController>(r => r
                .Owns<V1Job>(OwnedSelector)
                .Owns<V1PersistentVolumeClaim>(OwnedSelector)
                .OwnsPodsOfJobs<V1Pod, V1Job>(OwnedSelector))
            .AddFinalizer<V1Alpha1VmClone, VmCloneCleanupFinalizer>(VmCloneCleanupFinalizer.Name);
        return builder;
    }
}
