using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// WaitingForGoldenImage: the GoldenImage exists, shares itself with this namespace, and is Ready; the clone's size
/// is at least the golden's virtual size. An image not shared is a wait, not a failure: sharing may be granted later.
/// The clone copies the revision it pins (spec.goldenImage.revision) or the image's current one, and status records which.
/// </summary>
public sealed class WaitForGoldenImagePhase : IPhase<VmCloneContext, VmClonePhase>
{
    public VmClonePhase Phase => VmClonePhase.WaitingForGoldenImage;

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds);
        var reference = $"{context.GoldenNamespace}/{context.Entity.Spec.GoldenImage.Name}";
        var golden = await context.Reader.GetAsync<V1Alpha1GoldenImage>(context.Entity.Spec.GoldenImage.Name, context.GoldenNamespace, cancellationToken).ConfigureAwait(false);
        if (golden is null)
        {
            return PhaseOutcome.Wait("GoldenImageNotFound", $"GoldenImage {reference} does not exist", poll);
        }

        if (!Shares(golden, context.Namespace))
        {
            return PhaseOutcome.Wait("GoldenImageNotShared",
                $"GoldenImage {reference} does not share itself with namespace {context.Namespace} (its spec.sharing.namespaces must list it or \"*\")", poll);
        }

        if (golden.Status?.Phase != GoldenImagePhase.Ready || golden.Status.Pvc is null || golden.Status.VirtualSize is null)
        {
            return PhaseOutcome.Wait("GoldenImageNotReady", $"GoldenImage {reference} is {golden.Status?.Phase?.ToString() ?? "Pending"}", poll);
        }

        // The pinned revision, else the one an earlier pass started from (a new current revision must not change a copy
        // under way), else the current one; an older revision is the image seen through it (its claim, digest, size).
        var (view, revision, problem) = Revisions.GoldenImageRevisions.Select(golden, context.Entity.Spec.GoldenImage.Revision ?? context.Status.GoldenImageRevision);
        if (problem is not null)
        {
            return PhaseOutcome.Wait("GoldenImageRevisionNotReady", $"GoldenImage {reference}: {problem}", poll);
        }

        golden = view;
        context.Status.GoldenImageRevision = revision;
        var claim = await context.Reader.GetAsync<V1PersistentVolumeClaim>(golden.Status!.Pvc!.Name, context.GoldenNamespace, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return PhaseOutcome.Wait("GoldenPvcNotFound", $"the PVC {golden.Status.Pvc.Name} of GoldenImage {reference} is gone", poll);
        }

        if (GoldenDigestCheck.StopIfGoldenChanged(golden, reference) is { } changed)
        {
            return changed;
        }

        context.Golden = golden;
        context.GoldenPvcName = claim.Metadata.Name;
        context.GoldenMode = claim.Spec.VolumeMode == "Block" ? VolumeMode.Block : VolumeMode.Filesystem;
        context.GoldenStorageClass = claim.Spec.StorageClassName;
        context.GoldenClaimBytes = ClaimBytesOf(claim);
        var virtualSize = golden.Status.VirtualSize!.Value;
        context.TargetBytes = context.Entity.Spec.Target?.Size is { } size ? DiskSizing.Bytes(size) : virtualSize;
        if (context.TargetBytes < virtualSize)
        {
            return PhaseOutcome.Fail("TargetTooSmall", golden.Status.MinimumSize is { } minimum
                ? $"spec.target.size is {context.TargetBytes} bytes, smaller than the golden's minimum size of {minimum} bytes (status.minimumSize: the shrunk disk)"
                : $"spec.target.size is {context.TargetBytes} bytes, smaller than the golden's virtual size of {virtualSize} bytes");
        }

        return PhaseOutcome.Done;
    }

    // The request, not the capacity: a provisioner compares a clone with the source's capacity, which is at least the
    // request, so a target below the request surely fails, while one between request and a rounded-up capacity is left
    // to try (and to fall back after the timeout, as before).
    private static long? ClaimBytesOf(V1PersistentVolumeClaim claim) =>
        claim.Spec.Resources?.Requests?.TryGetValue("storage", out var request) == true && DiskSizing.TryBytes(request, out var requestBytes) ? requestBytes
        : claim.Status?.Capacity?.TryGetValue("storage", out var capacity) == true && DiskSizing.TryBytes(capacity, out var capacityBytes) ? capacityBytes
        : null;

    public static bool Shares(V1Alpha1GoldenImage golden, string ns) =>
        golden.Metadata.NamespaceProperty == ns
        || golden.Spec.Sharing?.Namespaces.Any(n => n == "*" || n == ns) == true;
}
