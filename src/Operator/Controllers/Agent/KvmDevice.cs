using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Decides whether an agent Job requests <c>/dev/kvm</c> through KubeVirt's device plugin resource. The agent only
/// needs KVM for the libguestfs appliance (xfs, btrfs, LVM…) and runs it under TCG without, so "auto" must never make
/// a Job unschedulable: it requests the device only when every schedulable node matching the agent's node selector
/// allocates it. Nodes are read per Job start (a few per object), not cached, so new KVM nodes count at once.
/// </summary>
public static class KvmDevice
{
    /// <summary>The extended resource KubeVirt's virt-handler device plugin exposes on nodes with usable KVM.</summary>
    public const string ResourceName = "devices.kubevirt.io/kvm";

    /// <summary>True when Jobs should request the device, from the setting and (auto) the nodes.</summary>
    public static async Task<bool> ShouldRequestAsync(IKubernetesClient client, AgentOptions options, CancellationToken cancellationToken)
    {
        if (options.RequestKvm is { } configured)
        {
            return configured;
        }

        try
        {
            var nodes = await client.ListAsync<V1Node>(null, cancellationToken: cancellationToken).ConfigureAwait(false);
            return EveryCandidateHasIt(nodes.Items, options.NodeSelector);
        }
        catch (KubernetesApiException)
        {
            // No permission to list nodes (RBAC trimmed) or no such API in a test server: TCG, which always works.
            return false;
        }
    }

    /// <summary>True when at least one node may run agent Jobs and each such node allocates at least one device.</summary>
    public static bool EveryCandidateHasIt(IEnumerable<V1Node> nodes, IReadOnlyDictionary<string, string> nodeSelector)
    {
        var candidates = nodes
            .Where(n => n.Spec?.Unschedulable != true)
            .Where(n => nodeSelector.All(s => n.Metadata.Labels?.TryGetValue(s.Key, out var v) == true && v == s.Value))
            .ToList();
        return candidates.Count > 0 && candidates.All(n =>
            n.Status?.Allocatable?.TryGetValue(ResourceName, out var quantity) == true && Allocates(quantity));
    }

    // Device plugin counts are plain integers ("1k" from the kubelet's default of 1000 devices); "0" means none.
    private static bool Allocates(ResourceQuantity quantity) => quantity.ToString().Trim() is { Length: > 0 } q && q != "0";
}
