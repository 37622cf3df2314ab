using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>Pending: the source can be read and the golden disk's size is known, before anything is created.</summary>
public sealed class ValidateSourcePhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Pending;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        var spec = context.Entity.Spec;
        var poll = TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds);
        long? size = spec.Storage?.Size is { } wanted ? DiskSizing.Bytes(wanted) : null;
        if (spec.Source.Http is { } http)
        {
            if (size is null)
            {
                // Without a size the claim cannot be made before the download tells the virtual size.
                return PhaseOutcome.Wait("StorageSizeRequired", "spec.storage.size is required for an http source: the virtual size is unknown before the download");
            }

            if (http.SecretRef is { } secretRef
                && await context.Client.GetAsync<V1Secret>(secretRef.Name, context.Namespace, cancellationToken).ConfigureAwait(false) is null)
            {
                return PhaseOutcome.Wait("SecretNotFound", $"Secret {context.Namespace}/{secretRef.Name} named by spec.source.http.secretRef does not exist", poll);
            }

            context.DiskBytes = size;
            return PhaseOutcome.Done;
        }

        if (spec.Source.GoldenImage is not null)
        {
            // The parent was found Ready (ResolveParentPhase); a larger spec.storage.size grows its copy.
            context.DiskBytes = size ?? context.ParentRevision!.VirtualSize;
            return PhaseOutcome.Done;
        }

        var pvc = spec.Source.Pvc!;
        var sourceNamespace = pvc.Namespace ?? context.Namespace;
        if (sourceNamespace != context.Namespace)
        {
            return PhaseOutcome.Fail("CrossNamespaceSourceUnsupported",
                $"spec.source.pvc is in namespace {sourceNamespace}: a pod cannot mount another namespace's claim; create the GoldenImage in {sourceNamespace} and share it with spec.sharing");
        }

        var claim = await context.Client.GetAsync<V1PersistentVolumeClaim>(pvc.Name, sourceNamespace, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return PhaseOutcome.Wait("SourcePvcNotFound", $"source PVC {sourceNamespace}/{pvc.Name} does not exist", poll);
        }

        if (!StorageClasses.IsBound(claim))
        {
            return PhaseOutcome.Wait("SourcePvcNotBound", $"source PVC {sourceNamespace}/{pvc.Name} is {claim.Status?.Phase ?? "Pending"}", poll);
        }

        context.SourcePvcName = pvc.Name;
        context.SourceMode = claim.Spec.VolumeMode == "Block" ? VolumeMode.Block : VolumeMode.Filesystem;
        // Without spec.storage.size the source image's virtual size is measured next (MeasureSourcePhase).
        context.DiskBytes = size;
        context.SourceClaimBytes = StorageClasses.SizeOf(claim);
        return PhaseOutcome.Done;
    }
}
