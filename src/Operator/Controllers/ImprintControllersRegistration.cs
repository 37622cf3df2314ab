using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.CloneTemplates;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.VmClones;
using Imprint.Operator.Hosting;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Imprint.Operator.Controllers;

/// <summary>
/// Registers the GoldenImage, VmClone and CloneTemplate controllers and the CloneTemplate volume populator, what they
/// watch besides their kind, and their finalizers. They share the process's one informer per kind: GoldenImages,
/// VmClones, CloneTemplates, Jobs, pods and PVCs — six watch streams.
/// </summary>
public static class ImprintControllersRegistration
{
    /// <summary>
    /// What the Job and pod informers watch: only objects we made (pods carry their Job template's labels). The PVC
    /// informer watches every claim: the volume populator must see users' claims that name a CloneTemplate, as
    /// lib-volume-populator does.
    /// </summary>
    public const string OwnedSelector = $"{Agent.AgentLabels.ManagedBy}={Agent.AgentLabels.ManagedByValue}";

    public static OperatorBuilder AddImprintControllers(this OperatorBuilder builder, ImprintOptions options)
    {
        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddSingleton(new Storage.StorageCapabilityRegistry(options.Storage));
        builder.Services.TryAddSingleton<Agent.PlanProgressMemory>();
        builder
            .AddController<V1Alpha1GoldenImage, GoldenImageController>(r => r
                .Owns<V1Job>(OwnedSelector)
                .Owns<V1PersistentVolumeClaim>()
                .Owns<V1Alpha1VmClone>()
                .OwnsPodsOfJobs<V1Pod, V1Job>(OwnedSelector))
            .AddFinalizer<V1Alpha1GoldenImage, GoldenImageInUseFinalizer>(GoldenImageInUseFinalizer.Name)
            .AddController<V1Alpha1VmClone, VmCloneController>(r => r
                .Owns<V1Job>(OwnedSelector)
                .Owns<V1PersistentVolumeClaim>()
                .OwnsPodsOfJobs<V1Pod, V1Job>(OwnedSelector))
            .AddFinalizer<V1Alpha1VmClone, VmCloneCleanupFinalizer>(VmCloneCleanupFinalizer.Name)
            .AddController<V1Alpha1CloneTemplate, CloneTemplateController>()
            .AddController<V1PersistentVolumeClaim, PopulatorController>(r =>
            {
                r.Options = r.Options with { Name = PopulatorController.ControllerName, ReconcileEveryChange = true };
                r.Owns<V1Alpha1VmClone>();
                r.Watches<V1Alpha1CloneTemplate>(
                    informers => ClaimsNamingTemplate.Map(informers.For<V1PersistentVolumeClaim>()),
                    informers => () => informers.For<V1PersistentVolumeClaim>().HasSynced);
            })
            .AddFinalizer<V1PersistentVolumeClaim, PopulationCleanupFinalizer>(PopulationCleanupFinalizer.Name, PopulationCleanupFinalizer.AppliesTo);
        return builder;
    }
}
