using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.VmClones;
using Imprint.Operator.Hosting;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Imprint.Operator.Controllers;

/// <summary>Registers the GoldenImage and VmClone controllers, what they watch besides their kind, and their finalizers.</summary>
public static class ImprintControllersRegistration
{
    public static OperatorBuilder AddImprintControllers(this OperatorBuilder builder, ImprintOptions options)
    {
        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddSingleton(new Storage.StorageCapabilityRegistry(options.Storage));
        builder
            .AddController<V1Alpha1GoldenImage, GoldenImageController>(r => r
                .Owns<V1Job>("app.kubernetes.io/managed-by=imprint-operator")
                .Owns<V1PersistentVolumeClaim>("app.kubernetes.io/managed-by=imprint-operator")
                .OwnsPodsOfJobs<V1Pod, V1Job>())
            .AddFinalizer<V1Alpha1GoldenImage, GoldenImageInUseFinalizer>(GoldenImageInUseFinalizer.Name)
            .AddController<V1Alpha1VmClone, VmCloneController>(r => r
                .Owns<V1Job>("app.kubernetes.io/managed-by=imprint-operator")
                .Owns<V1PersistentVolumeClaim>("app.kubernetes.io/managed-by=imprint-operator")
                .OwnsPodsOfJobs<V1Pod, V1Job>())
            .AddFinalizer<V1Alpha1VmClone, VmCloneCleanupFinalizer>(VmCloneCleanupFinalizer.Name);
        return builder;
    }
}
