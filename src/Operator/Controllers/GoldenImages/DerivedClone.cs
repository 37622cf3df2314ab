using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Storage;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// The VmClone a derived golden builds its disk with: the parent (its pinned revision, if any) copied into a claim of
/// this image's storage, grown to spec.storage.size, and customized with spec.customize. Per-clone identity is left to
/// the seal that follows (host keys and machine-id are kept here, then removed by the seal like any golden's).
/// A pure function of the two images.
/// </summary>
public static class DerivedClone
{
    /// <summary>Label naming the derived golden a VmClone builds (for people: kubectl get vmc -l imprint.dev/derived-golden).</summary>
    public const string DerivedGoldenLabel = "imprint.dev/derived-golden";

    /// <summary>&lt;name&gt;-layer for the first build, &lt;name&gt;-r&lt;N&gt;-layer for revision N's.</summary>
    public static string Name(GoldenImageContext context) =>
        $"{Revisions.GoldenImageRevisions.JobOwner(context.Name, context.Revision) ?? context.Name}-layer";

    public static string ParentNamespace(V1Alpha1GoldenImage child) =>
        child.Spec.Source.GoldenImage!.Namespace ?? child.Metadata.NamespaceProperty!;

    public static V1Alpha1VmClone Build(V1Alpha1GoldenImage child, string name, V1Alpha1GoldenImage parent, ParentRevisionChoice revision, long? diskBytes)
    {
        var labels = AgentLabels.OwnedBy(child);
        labels[DerivedGoldenLabel] = AgentLabels.LabelValue(child.Metadata.Name!);
        var storage = child.Spec.Storage;
        var customize = child.Spec.Customize;
        return new V1Alpha1VmClone
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = child.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [AgentJobBuilder.OwnerReference(child)],
            },
            Spec = new V1Alpha1VmClone.VmCloneSpec
            {
                // Pinned to the revision status.parent records, so a parent update during the copy cannot mix the two.
                GoldenImage = new GoldenImageReference { Name = parent.Metadata.Name!, Namespace = parent.Metadata.NamespaceProperty, Revision = revision.Revision },
                Target = new CloneTarget
                {
                    Size = diskBytes is { } bytes && bytes > (revision.VirtualSize ?? 0) ? Apis.IntOrString.FromInt(bytes) : null,
                    StorageClassName = storage?.StorageClassName,
                    VolumeMode = storage?.VolumeMode,
                },
                Customize = new CustomizeSpec
                {
                    Hosts = customize?.Hosts,
                    Dns = customize?.Dns,
                    RootPassword = customize?.RootPassword,
                    Users = customize?.Users,
                    SshHostKeys = RegeneratePolicy.Keep,
                    MachineId = RegeneratePolicy.Keep,
                    Timezone = customize?.Timezone,
                    Network = customize?.Network,
                    Files = customize?.Files,
                    FirstBootCommands = customize?.FirstBootCommands,
                },
                ReclaimPolicy = ReclaimPolicy.Delete,
            },
        };
    }

    /// <summary>status.parent of a child built now from <paramref name="parent"/>: the parent, then the chain it was built from.</summary>
    public static IList<ParentRevision> Chain(V1Alpha1GoldenImage parent, ParentRevisionChoice revision)
    {
        List<ParentRevision> chain =
        [
            new ParentRevision
            {
                Name = parent.Metadata.Name!,
                Namespace = parent.Metadata.NamespaceProperty!,
                Revision = revision.Revision,
                Digest = revision.Digest,
            },
            .. parent.Status?.Parent ?? [],
        ];
        return [.. chain.Take(V1Alpha1GoldenImage.ParentChainLimit)];
    }
}
