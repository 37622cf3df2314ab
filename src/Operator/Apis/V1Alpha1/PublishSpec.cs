using System.ComponentModel;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Where a Ready golden disk is announced to other tools.</summary>
[Description("Announce the Ready golden disk to other tools; all fields optional.")]
public sealed class PublishSpec
{
    [Description("Keep a CDI DataSource (cdi.kubevirt.io/v1beta1) of this name, in this namespace, pointing at the sealed "
        + "PVC while the image is Ready, so `virtctl create vm --volume-datasource`, OpenShift templates and DataVolume "
        + "sourceRef use it. It is owned by the GoldenImage (deleted with it) and removed when this field is. Without "
        + "CDI the condition DataSourcePublished is False with reason CdiNotInstalled and nothing else fails.")]
    public LocalObjectReference? DataSource { get; set; }
}
