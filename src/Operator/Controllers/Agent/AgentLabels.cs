using k8s;
using k8s.Models;
namespace Imprint.Operator.Controllers.Agent;

/// <summary>Labels on every object the controllers create, so they can be listed and cleaned up by owner.</summary>
public static class AgentLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string OwnerKind = "imprint.dev/owner-kind";
    public const string Owner = "imprint.dev/owner";
    public const string Step = "imprint.dev/step";
    public const string Attempt = "imprint.dev/attempt";
    public const string OwnerNamespace = "imprint.dev/owner-namespace";
    public const string ManagedByValue = "imprint-operator";

    /// <summary>Annotation of a plan Job: its steps, in order (<c>copy,customize,resize</c>).</summary>
    public const string PlanSteps = "imprint.dev/plan-steps";

    /// <summary>Annotation of a plan Job: the disks it worked on (claim and golden uids); a retry reuses only work done on the same ones.</summary>
    public const string DiskIdentity = "imprint.dev/disk-identity";

    /// <summary>
    /// The labels of an object made for <paramref name="owner"/> (what <see cref="SelectorFor"/> selects); with a
    /// component, also the app name and that component (agent, golden-disk, clone-disk).
    /// </summary>
    public static Dictionary<string, string> OwnedBy(IKubernetesObject<V1ObjectMeta> owner, string? component = null)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (component is not null)
        {
            labels[Name] = "imprint";
            labels[Component] = component;
        }

        labels[ManagedBy] = ManagedByValue;
        labels[OwnerKind] = owner.Kind!;
        labels[Owner] = LabelValue(owner.Metadata.Name!);
        return labels;
    }

    /// <summary>Selector of everything created for one owner.</summary>
    public static string SelectorFor(string ownerKind, string ownerName) => $"{OwnerKind}={ownerKind},{Owner}={LabelValue(ownerName)}";

    /// <summary>Object names may be 253 characters, label values only 63.</summary>
    public static string LabelValue(string value) => value.Length <= 63 ? value : value[..54] + "-" + AgentJobNames.Hash(value)[..8];
}
