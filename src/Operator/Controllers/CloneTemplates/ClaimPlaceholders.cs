using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Cdi;
using k8s.Models;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// The placeholder values of one claim. The VM is found the way KubeVirt and CDI leave it: KubeVirt creates a
/// VirtualMachine's DataVolumes (dataVolumeTemplates, also for each VM of a VirtualMachinePool) with a controller
/// ownerReference to the VM and the label kubevirt.io/created-by = the VM's uid; CDI creates the DataVolume's claim
/// with a controller ownerReference to the DataVolume. So: claim → owning DataVolume → owning VirtualMachine, or a
/// claim owned by a VirtualMachine directly. A bare claim may name its VM with the label vm.kubevirt.io/name (the label
/// KubeVirt puts on a VM's launcher pod).
/// </summary>
public static class ClaimPlaceholders
{
    public const string VmNameLabel = "vm.kubevirt.io/name";

    public static async Task<PlaceholderValues> ResolveAsync(IKubernetesClient client, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(claim);
        var ns = claim.Metadata.NamespaceProperty!;
        string? vm = null;
        string? source = null;
        var owner = claim.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (owner is { Kind: "VirtualMachine" } && owner.ApiVersion.StartsWith("kubevirt.io/", StringComparison.Ordinal))
        {
            (vm, source) = (owner.Name, $"owner VirtualMachine {owner.Name}");
        }
        else if (owner is { Kind: V1Beta1DataVolume.KindName } && owner.ApiVersion.StartsWith(V1Beta1DataVolume.Group + "/", StringComparison.Ordinal))
        {
            var dataVolume = await client.GetAsync<V1Beta1DataVolume>(owner.Name, ns, cancellationToken).ConfigureAwait(false);
            var vmOwner = dataVolume?.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == "VirtualMachine"
                && r.ApiVersion.StartsWith("kubevirt.io/", StringComparison.Ordinal));
            if (vmOwner is not null)
            {
                (vm, source) = (vmOwner.Name, $"owner DataVolume {owner.Name} of VirtualMachine {vmOwner.Name}");
            }
        }

        if (vm is null && claim.Metadata.Labels?.TryGetValue(VmNameLabel, out var labelled) == true)
        {
            (vm, source) = (labelled, $"label {VmNameLabel}");
        }

        return new PlaceholderValues
        {
            ClaimName = claim.Metadata.Name!,
            ClaimNamespace = ns,
            ClaimLabels = new Dictionary<string, string>(claim.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            ClaimAnnotations = new Dictionary<string, string>(claim.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            VmName = vm,
            VmSource = source,
        };
    }
}
