using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Finalizers;
using k8s.Models;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// <c>imprint.dev/populate-target-protection</c>, lib-volume-populator's finalizer of the same purpose: it sits on a
/// claim from the start of its population until the claim is Bound (the populator then takes it off). A claim deleted
/// in between goes only once what population made for it is gone — its VmClone (whose own cleanup removes its Jobs)
/// and the prime claim, whose volume the PV controller then reclaims — so nothing is left writing a disk nobody claims.
/// </summary>
public sealed class PopulationCleanupFinalizer(IKubernetesClient client) : IEntityFinalizer<V1PersistentVolumeClaim>
{
    public const string Name = "imprint.dev/populate-target-protection";

    /// <summary>The claims that get the finalizer: those naming a CloneTemplate and not Bound yet.</summary>
    public static bool AppliesTo(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return PopulationNames.TemplateOf(claim) is not null && !StorageClasses.IsBound(claim);
    }

    public async Task FinalizeAsync(V1PersistentVolumeClaim entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var ns = entity.Metadata.NamespaceProperty!;
        var left = new List<string>();
        var cloneName = PopulationNames.VmClone(entity);
        var clone = await client.GetAsync<V1Alpha1VmClone>(cloneName, ns, cancellationToken).ConfigureAwait(false);
        if (clone is not null && clone.Metadata.OwnerReferences?.Any(r => r.Uid == entity.Metadata.Uid) == true)
        {
            if (clone.Metadata.DeletionTimestamp is null)
            {
                await client.DeleteAsync<V1Alpha1VmClone>(cloneName, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            }

            left.Add($"VmClone {cloneName}");
        }

        var prime = PopulationNames.Prime(entity);
        var primeClaim = await client.GetAsync<V1PersistentVolumeClaim>(prime, ns, cancellationToken).ConfigureAwait(false);
        if (primeClaim is not null)
        {
            if (primeClaim.Metadata.DeletionTimestamp is null)
            {
                await client.DeleteAsync<V1PersistentVolumeClaim>(prime, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            }

            left.Add($"prime claim {prime}");
        }

        if (left.Count > 0)
        {
            throw new FinalizerPendingException($"waiting for {string.Join(" and ", left)} to be deleted");
        }
    }
}
