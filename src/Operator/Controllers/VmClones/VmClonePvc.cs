using System.Globalization;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>Builds the clone's claim (a pure function): empty for Copy, or populated by the CSI driver from the golden claim or snapshot.</summary>
public static class VmClonePvc
{
    public static V1PersistentVolumeClaim Build(VmCloneContext context, CloneStrategy strategy)
    {
        var clone = context.Entity;
        var target = clone.Spec.Target;
        var mode = context.TargetMode;
        var claimBytes = DiskSizing.ClaimBytes(context.TargetBytes, mode, context.Options.Clone.FilesystemOverhead);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [VolumeAnnotations.DiskSize] = context.TargetBytes.ToString(CultureInfo.InvariantCulture),
            [VolumeAnnotations.Attempt] = context.Attempt.ToString(CultureInfo.InvariantCulture),
            [VolumeAnnotations.Strategy] = strategy.ToString(),
        };
        if (clone.Metadata.Annotations?.TryGetValue(VolumeAnnotations.SelectedNode, out var node) == true)
        {
            // A VmClone pinned to a node (the populator's, for a WaitForFirstConsumer claim) provisions its disk there.
            annotations[VolumeAnnotations.SelectedNode] = node;
        }

        return new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta
            {
                Name = context.TargetPvcName,
                NamespaceProperty = context.Namespace,
                Labels = AgentLabels.OwnedBy(clone, "clone-disk"),
                Annotations = annotations,
                // Owned while the VmClone lives (events reach it, and it shows who made it); the finalizer removes the
                // reference before the VmClone goes when reclaimPolicy is Retain, so garbage collection keeps the disk.
                OwnerReferences = [AgentJobBuilder.OwnerReference(clone)],
            },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = target?.AccessModes is { Count: > 0 } modes ? [.. modes.Select(m => m.ToString())] : ["ReadWriteOnce"],
                StorageClassName = target?.StorageClassName ?? context.GoldenStorageClass,
                VolumeMode = mode.ToString(),
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(DiskSizing.Format(claimBytes)) } },
                DataSource = strategy switch
                {
                    CloneStrategy.CsiClone => new V1TypedLocalObjectReference { Kind = "PersistentVolumeClaim", Name = context.GoldenPvcName },
                    CloneStrategy.Snapshot => new V1TypedLocalObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = context.Golden!.Status!.Snapshot!.Name },
                    _ => null,
                },
            },
        };
    }
}
