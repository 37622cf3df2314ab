using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Snapshots;
using k8s.Models;

namespace Imprint.Operator.Controllers.Storage;

/// <summary>
/// Whether a VolumeSnapshot of a claim of a given StorageClass can ever become ready: its provisioner must be one that
/// snapshots (<see cref="StorageCapabilityRegistry"/>), and the named VolumeSnapshotClass must exist with the same CSI
/// driver; otherwise the snapshot controller leaves it pending forever.
/// </summary>
public static class SnapshotSupport
{
    /// <summary>Why a snapshot of the claim <paramref name="pvcName"/> can never be taken with class <paramref name="snapshotClassName"/>; null when it can or nothing is known.</summary>
    public static async Task<string?> WhyNotAsync(IKubernetesClient client, StorageCapabilityRegistry registry, string pvcName, string ns, string snapshotClassName, CancellationToken cancellationToken)
    {
        var claim = await client.GetAsync<V1PersistentVolumeClaim>(pvcName, ns, cancellationToken).ConfigureAwait(false);
        var storageClass = await StorageClasses.ResolveAsync(client, claim?.Spec.StorageClassName, cancellationToken).ConfigureAwait(false);
        if (storageClass is null)
        {
            // No class to read a driver from (claims bound to pre-made volumes without one): let the snapshot controller decide.
            return null;
        }

        V1VolumeSnapshotClass? snapshotClass;
        try
        {
            snapshotClass = await client.GetAsync<V1VolumeSnapshotClass>(snapshotClassName, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            snapshotClass = null;
        }

        return WhyNot(storageClass, registry.For(storageClass), snapshotClassName, snapshotClass);
    }

    /// <summary>The decision itself, from the objects read: null when a snapshot can be taken.</summary>
    public static string? WhyNot(V1StorageClass storageClass, StorageClassCapabilities capabilities, string snapshotClassName, V1VolumeSnapshotClass? snapshotClass)
    {
        if (capabilities.CannotRestoreSnapshot is { } cannot)
        {
            return $"no snapshots: {cannot}";
        }

        var name = storageClass.Metadata.Name;
        if (snapshotClass is null)
        {
            return $"no snapshots: VolumeSnapshotClass '{snapshotClassName}' does not exist (StorageClass '{name}', driver {storageClass.Provisioner})";
        }

        return snapshotClass.Driver == storageClass.Provisioner
            ? null
            : $"no snapshots: VolumeSnapshotClass '{snapshotClassName}' is for driver {snapshotClass.Driver}, but StorageClass '{name}' uses {storageClass.Provisioner}";
    }
}
