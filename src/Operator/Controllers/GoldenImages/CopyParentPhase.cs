using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Manifests;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Importing, for a derived golden: the parent's disk is copied and customized by a VmClone this image owns
/// (<see cref="DerivedClone"/>), so the copy takes exactly a clone's path — CSI clone, snapshot restore or host-assisted
/// copy with its fallbacks, the transfer across namespaces, the parent's digest checked on the way, the parent's
/// in-use protection — and the parent disk is only ever read. Its claim is then the source the import converts, and
/// the usual inspect, seal and fingerprint follow. status.parent records what was copied.
/// </summary>
[EntityRbac(typeof(V1Alpha1VmClone), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
public sealed class CopyParentPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Importing;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        if (context.Entity.Spec.Source.GoldenImage is null)
        {
            return PhaseOutcome.Done;
        }

        var poll = TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds);
        var name = DerivedClone.Name(context);
        var clone = await context.Reader.GetAsync<V1Alpha1VmClone>(name, context.Namespace, cancellationToken).ConfigureAwait(false);
        if (clone is not null && clone.Metadata.OwnerReferences?.Any(r => r.Uid == context.Entity.Metadata.Uid) != true)
        {
            return PhaseOutcome.Fail("VmCloneConflict", $"VmClone {context.Namespace}/{name} exists and does not belong to this GoldenImage");
        }

        if (clone is null)
        {
            var parent = context.Parent!;
            context.Status.Parent = DerivedClone.Chain(parent, context.ParentRevision!);
            try
            {
                clone = await context.Client.CreateAsync(DerivedClone.Build(context.Entity, name, parent, context.ParentRevision!, context.DiskBytes), cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode is System.Net.HttpStatusCode.UnprocessableEntity or System.Net.HttpStatusCode.Forbidden)
            {
                return PhaseOutcome.Fail("ParentCopyRejected", $"the API server rejected VmClone {name}: {e.Message}");
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
                return PhaseOutcome.Wait("CopyingParent", $"VmClone {name} is being created", poll);
            }
        }

        // What was copied: the revision the VmClone is pinned to (a revision build's status starts afresh each pass).
        context.Status.Parent ??= DerivedClone.Chain(context.Parent!, ParentRevisionChoice.Of(context.Parent!, clone.Spec.GoldenImage.Revision) ?? context.ParentRevision!);
        var status = clone.Status;
        switch (status?.Phase)
        {
            case VmClonePhase.Ready when status.Pvc is { } pvc:
                context.SourcePvcName = pvc.Name;
                context.SourceMode = clone.Spec.Target?.VolumeMode ?? context.VolumeMode;
                return PhaseOutcome.Done;
            case VmClonePhase.Failed:
                return PhaseOutcome.Fail(status.Reason ?? "ParentCopyFailed", $"copying the parent through VmClone {name} failed: {status.Message}");
            default:
                context.Progress = status?.Progress;
                var parentName = $"{DerivedClone.ParentNamespace(context.Entity)}/{context.Entity.Spec.Source.GoldenImage.Name}";
                return PhaseOutcome.Wait("CopyingParent",
                    $"copying and customizing parent GoldenImage {parentName} through VmClone {name} ({status?.Phase?.ToString() ?? "Pending"}{(status?.Message is { } m ? $": {m}" : "")})", poll);
        }
    }

    /// <summary>Once the derived golden (or its revision) is built its copy has served: the VmClone goes, and its claim with it (reclaimPolicy Delete).</summary>
    public static async Task CleanupAsync(GoldenImageContext context, CancellationToken ct)
    {
        if (context.Entity.Spec.Source.GoldenImage is not null)
        {
            await context.Client.DeleteAsync<V1Alpha1VmClone>(DerivedClone.Name(context), context.Namespace, PropagationPolicy.Background, ct).ConfigureAwait(false);
        }
    }
}
