using k8s;
using k8s.Models;

namespace Imprint.Operator.Kubernetes.Cdi;

/// <summary>
/// cdi.kubevirt.io/v1beta1 DataSource (containerized-data-importer): a named pointer at a PVC or VolumeSnapshot that
/// DataVolumes clone through <c>spec.sourceRef</c>. The client library has no model of it. Upstream it has no status
/// subresource: CDI's datasource-controller writes status with the object.
/// </summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = KindName, PluralName = "datasources")]
public sealed class V1Beta1DataSource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "cdi.kubevirt.io";

    public const string Version = "v1beta1";

    public const string KindName = "DataSource";

    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    public string Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    public V1Beta1DataSourceSpec Spec { get; set; } = new();

    public V1Beta1DataSourceStatus? Status { get; set; }
}
