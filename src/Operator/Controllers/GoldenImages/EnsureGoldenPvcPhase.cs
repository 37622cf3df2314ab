using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>Importing: the claim for the golden disk exists, is ours, and is bound (or binds when the import pod starts).</summary>
public sealed class EnsureGoldenPvcPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Importing;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        var name = context.PvcName;
        var claim = await context.Reader.GetAsync<V1PersistentVolumeClaim>(name, context.Namespace, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            claim = GoldenImagePvc.Build(context.Entity, name, context.DiskBytes!.Value, context.Options.Clone.FilesystemOverhead);
            try
            {
                claim = await context.Client.CreateAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity || e.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                return PhaseOutcome.Fail("PvcRejected", $"the API server rejected PVC {name}: {e.Message}");
            }
        }
        else if (claim.Metadata.OwnerReferences?.Any(r => r.Uid == context.Entity.Metadata.Uid) != true)
        {
            return PhaseOutcome.Fail("PvcConflict", $"PVC {context.Namespace}/{name} exists and does not belong to this GoldenImage");
        }

        context.Status.Pvc = new NamespacedObjectReference { Name = name, Namespace = context.Namespace };
        context.PvcUid = claim.Metadata.Uid;
        if (StorageClasses.IsBound(claim) || await StorageClasses.WaitsForFirstConsumerAsync(context.Client, claim, cancellationToken).ConfigureAwait(false))
        {
            return PhaseOutcome.Done;
        }

        return PhaseOutcome.Wait("WaitingForPvc", $"PVC {name} is {claim.Status?.Phase ?? "Pending"}", TimeSpan.FromSeconds(5));
    }
}
