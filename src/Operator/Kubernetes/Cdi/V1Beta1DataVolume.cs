using k8s;
using k8s.Models;

namespace Imprint.Operator.Kubernetes.Cdi;

/// <summary>
/// cdi.kubevirt.io/v1beta1 DataVolume, metadata only: the populator reads a DataVolume to follow the owner chain from a
/// claim CDI made to the VirtualMachine that asked for it (its spec is CDI's business).
/// </summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = KindName, PluralName = "datavolumes")]
public sealed class V1Beta1DataVolume : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "cdi.kubevirt.io";

    public const string Version = "v1beta1";

    public const string KindName = "DataVolume";

    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();
}
