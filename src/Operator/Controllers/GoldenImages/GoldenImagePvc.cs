using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>Builds the golden disk's claim (a pure function of the GoldenImage and the disk size).</summary>
public static class GoldenImagePvc
{
    public static string DefaultName(string goldenImage) => $"{goldenImage}-golden";

    public static V1PersistentVolumeClaim Build(V1Alpha1GoldenImage golden, string name, long diskBytes, double filesystemOverhead)
    {
        var storage = golden.Spec.Storage;
        var mode = storage?.VolumeMode ?? VolumeMode.Filesystem;
        return new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = golden.Metadata.NamespaceProperty,
                Labels = AgentLabels.OwnedBy(golden, "golden-disk"),
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [VolumeAnnotations.DiskSize] = diskBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                OwnerReferences = [AgentJobBuilder.OwnerReference(golden)],
            },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = storage?.AccessModes is { Count: > 0 } modes ? [.. modes.Select(m => m.ToString())] : ["ReadWriteOnce"],
                StorageClassName = storage?.StorageClassName,
                VolumeMode = mode.ToString(),
                Resources = new V1VolumeResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(DiskSizing.Format(DiskSizing.ClaimBytes(diskBytes, mode, filesystemOverhead))) },
                },
            },
        };
    }
}
