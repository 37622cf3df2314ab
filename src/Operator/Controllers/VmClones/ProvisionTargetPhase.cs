using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Snapshots;
using Imprint.Operator.Runtime.Events;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Cloning: the target claim exists for this attempt. CsiClone and Snapshot claims are filled by the CSI driver; one
/// that stays unbound past the timeout (the provisioner refused: CDI#4068) makes Auto fall back to a copy, with the
/// provisioner's message in status.fallbackReason and an Event. A retry re-provisions a driver-filled claim, so it
/// starts again from the golden disk rather than from a half-customized one. Classes that cannot fill a claim from a
/// dataSource (<see cref="StorageCapabilityRegistry"/>) are never asked to; a bound claim is still checked by
/// <see cref="VerifyTargetPhase"/> before anything writes to it.
/// </summary>
public sealed class ProvisionTargetPhase : IPhase<VmCloneContext, VmClonePhase>
{
    public VmClonePhase Phase => VmClonePhase.Cloning;

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromSeconds(context.Options.Clone.PvcPollSeconds);
        var name = context.TargetPvcName;
        var claim = await context.Client.GetAsync<V1PersistentVolumeClaim>(name, context.Namespace, cancellationToken).ConfigureAwait(false);
        if (claim is not null && claim.Metadata.OwnerReferences?.Any(r => r.Uid == context.Entity.Metadata.Uid) != true)
        {
            return PhaseOutcome.Fail("PvcConflict", $"PVC {context.Namespace}/{name} exists and does not belong to this VmClone; set spec.target.pvcName");
        }

        if (claim is not null && claim.Metadata.DeletionTimestamp is not null)
        {
            return PhaseOutcome.Wait("Reprovisioning", $"waiting for the old PVC {name} to go", poll);
        }

        if (claim is not null && context.Status.CloneStrategy != CloneStrategy.Copy && AttemptOf(claim) != context.Attempt)
        {
            // Filled by the driver from the golden for an earlier attempt and possibly half-customized since: start over.
            await context.Client.DeleteAsync<V1PersistentVolumeClaim>(name, context.Namespace, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            return PhaseOutcome.Wait("Reprovisioning", $"re-provisioning PVC {name} from the golden disk for attempt {context.Attempt + 1}", poll);
        }

        if (claim is null)
        {
            var strategy = context.Status.CloneStrategy;
            if (strategy is null)
            {
                var targetClass = context.Entity.Spec.Target?.StorageClassName ?? context.GoldenStorageClass;
                var storageClass = await StorageClasses.ResolveAsync(context.Client, targetClass, cancellationToken).ConfigureAwait(false);
                var choice = CloneStrategyChoice.Choose(
                    context.Entity.Spec.Strategy ?? CloneStrategy.Auto,
                    context.GoldenNamespace == context.Namespace,
                    targetClass,
                    context.GoldenStorageClass,
                    context.TargetMode,
                    context.GoldenMode,
                    context.Golden!.Status!.Snapshot is not null,
                    context.StorageCapabilities.For(storageClass),
                    await ClaimSizesAsync(context, cancellationToken).ConfigureAwait(false));
                if (choice.Impossible is { } impossible)
                {
                    return PhaseOutcome.Fail("StrategyImpossible", impossible);
                }

                strategy = choice.Strategy;
                context.Status.CloneStrategy = strategy;
                context.Status.FallbackReason = choice.FallbackReason;
                if (choice.FallbackReason is { } why)
                {
                    // Not a failure (nothing was tried), but a slower path the user may want to know about.
                    context.Events.Record(context.Entity, EventType.Normal, "StrategyChosen", $"{strategy}: {why}");
                }
            }

            claim = VmClonePvc.Build(context, strategy.Value);
            try
            {
                claim = await context.Client.CreateAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode is System.Net.HttpStatusCode.UnprocessableEntity or System.Net.HttpStatusCode.Forbidden)
            {
                return PhaseOutcome.Fail("PvcRejected", $"the API server rejected PVC {name}: {e.Message}");
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
                return PhaseOutcome.Wait("WaitingForPvc", $"PVC {name} is being created", poll);
            }
        }

        context.Status.Pvc = new NamespacedObjectReference { Name = name, Namespace = context.Namespace };
        context.TargetClaimUid = claim.Metadata.Uid;
        if (StorageClasses.IsBound(claim))
        {
            return PhaseOutcome.Done;
        }

        var waitsForConsumer = await StorageClasses.WaitsForFirstConsumerAsync(context.Client, claim, cancellationToken).ConfigureAwait(false);
        var populated = context.Status.CloneStrategy is CloneStrategy.CsiClone or CloneStrategy.Snapshot;
        var age = context.Now - (claim.Metadata.CreationTimestamp ?? context.Now);
        if (populated && age >= TimeSpan.FromSeconds(context.Options.Clone.CsiCloneTimeoutSeconds))
        {
            return await FallBackAsync(context, claim, cancellationToken).ConfigureAwait(false);
        }

        // A WaitForFirstConsumer claim binds only when the next step's pod uses it.
        return waitsForConsumer
            ? PhaseOutcome.Done
            : PhaseOutcome.Wait("WaitingForPvc", $"PVC {name} is {claim.Status?.Phase ?? "Pending"}", poll);
    }

    private static async Task<CloneClaimSizes> ClaimSizesAsync(VmCloneContext context, CancellationToken ct)
    {
        long? restoreBytes = null;
        if (context.Golden!.Status!.Snapshot is { } reference && context.GoldenNamespace == context.Namespace)
        {
            var snapshot = await context.Client.GetAsync<V1VolumeSnapshot>(reference.Name, context.GoldenNamespace, ct).ConfigureAwait(false);
            restoreBytes = DiskSizing.TryBytes(snapshot?.Status?.RestoreSize, out var bytes) ? bytes : null;
        }

        var target = DiskSizing.ClaimBytes(context.TargetBytes, context.TargetMode, context.Options.Clone.FilesystemOverhead);
        return new CloneClaimSizes(target, context.GoldenClaimBytes, restoreBytes);
    }

    private static int AttemptOf(V1PersistentVolumeClaim claim) =>
        claim.Metadata.Annotations?.TryGetValue(VolumeAnnotations.Attempt, out var value) == true && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var attempt) ? attempt : -1;

    private static async Task<PhaseOutcome> FallBackAsync(VmCloneContext context, V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        var strategy = context.Status.CloneStrategy!.Value;
        var why = await ProvisioningMessageAsync(context, claim, ct).ConfigureAwait(false)
            ?? $"PVC {claim.Metadata.Name} stayed {claim.Status?.Phase ?? "Pending"} for {context.Options.Clone.CsiCloneTimeoutSeconds} s";
        if ((context.Entity.Spec.Strategy ?? CloneStrategy.Auto) != CloneStrategy.Auto)
        {
            return PhaseOutcome.Fail("CloneProvisioningFailed", $"{strategy} did not provision: {why}");
        }

        return await CopyFallback.StartAsync(context, claim.Metadata.Name!, $"{strategy} did not provision: {why}", ct).ConfigureAwait(false);
    }

    private static async Task<string?> ProvisioningMessageAsync(VmCloneContext context, V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        try
        {
            var events = await context.Client.ListAsync<Corev1Event>(context.Namespace,
                new ListOptions { FieldSelector = $"involvedObject.name={claim.Metadata.Name}" }, ct).ConfigureAwait(false);
            return events.Items
                .Where(e => e.Type == "Warning")
                .OrderByDescending(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp)
                .Select(e => $"{e.Reason}: {e.Message}")
                .FirstOrDefault();
        }
        catch (KubernetesApiException)
        {
            return null;
        }
    }
}
