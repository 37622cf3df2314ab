using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Snapshots;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Snapshotting: with spec.snapshot, a VolumeSnapshot of the sealed disk for fast clones; removing spec.snapshot later
/// deletes it. Runs after Ready too, since spec.snapshot may change at any time. On storage that cannot snapshot
/// (<see cref="SnapshotSupport"/>) it takes none and the image is Ready with Degraded=True, reason SnapshotUnsupported.
/// </summary>
public sealed class SnapshotPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Snapshotting;

    /// <summary>Named after the claim it is taken of: the first revision's is &lt;name&gt;-golden, a later one's &lt;claim&gt;-r&lt;N&gt;.</summary>
    public static string SnapshotName(GoldenImageContext context) => context.PvcName;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        var name = SnapshotName(context);
        if (context.Status.Snapshot is { } previous && previous.Name != name)
        {
            // A new revision became current: the old revision's snapshot goes; one of the new claim is taken below.
            await context.Client.DeleteAsync<V1VolumeSnapshot>(previous.Name, context.Namespace, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            context.Status.Snapshot = null;
        }

        if (context.Entity.Spec.Snapshot is not { } wanted)
        {
            if (context.Status.Snapshot is not null)
            {
                await context.Client.DeleteAsync<V1VolumeSnapshot>(context.Status.Snapshot.Name, context.Namespace, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
                context.Status.Snapshot = null;
            }

            return PhaseOutcome.Done;
        }

        var snapshot = await context.Client.GetAsync<V1VolumeSnapshot>(name, context.Namespace, cancellationToken).ConfigureAwait(false);
        if (snapshot?.Status?.ReadyToUse != true
            && await SnapshotSupport.WhyNotAsync(context.Client, context.StorageCapabilities, context.PvcName, context.Namespace, wanted.VolumeSnapshotClassName, cancellationToken).ConfigureAwait(false) is { } why)
        {
            // A snapshot that can never become ready: the disk is done, so the image is Ready without one (Degraded says
            // why) and clones copy. A pending snapshot of ours is removed, as nothing will ever fill it.
            if (snapshot is not null)
            {
                await context.Client.DeleteAsync<V1VolumeSnapshot>(name, context.Namespace, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            }

            context.Status.Snapshot = null;
            context.SnapshotUnsupported = why;
            return PhaseOutcome.Done;
        }

        if (snapshot is null)
        {
            snapshot = new V1VolumeSnapshot
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = context.Namespace,
                    Labels = AgentLabels.OwnedBy(context.Entity),
                    OwnerReferences = [AgentJobBuilder.OwnerReference(context.Entity)],
                },
                Spec = new V1VolumeSnapshotSpec
                {
                    Source = new V1VolumeSnapshotSource { PersistentVolumeClaimName = context.PvcName },
                    VolumeSnapshotClassName = wanted.VolumeSnapshotClassName,
                },
            };
            try
            {
                await context.Client.CreateAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                return PhaseOutcome.Fail("SnapshotsUnavailable", "the cluster does not serve snapshot.storage.k8s.io/v1 VolumeSnapshots (install the CSI snapshot CRDs and controller, or remove spec.snapshot)");
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
                // Made by an earlier pass.
            }

            return PhaseOutcome.Wait("Snapshotting", $"VolumeSnapshot {name} created", TimeSpan.FromSeconds(5));
        }

        if (snapshot.Status?.ReadyToUse == true)
        {
            context.Status.Snapshot = new LocalObjectReference { Name = name };
            return PhaseOutcome.Done;
        }

        var error = snapshot.Status?.Error?.Message;
        return PhaseOutcome.Wait("Snapshotting", error is null ? $"VolumeSnapshot {name} is not ready yet" : $"VolumeSnapshot {name}: {error}", TimeSpan.FromSeconds(5));
    }
}
