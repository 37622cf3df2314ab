using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Where a golden image's disk comes from: exactly one of an existing PVC or an HTTP download.</summary>
[Description("Where the disk comes from. Set exactly one of pvc or http.")]
[CelRule("has(self.pvc) != has(self.http)", "set exactly one of source.pvc or source.http")]
public sealed class GoldenImageSource
{
    [Description("An existing PVC holding a disk (e.g. a CDI DataVolume's). It is only read, never modified; "
        + "a PVC in another namespace needs that namespace's consent (the operator checks with a SubjectAccessReview).")]
    public NamespacedObjectReference? Pvc { get; set; }

    [Description("A disk image to download (qcow2, vmdk, vhdx, raw, optionally xz- or gzip-compressed); it is converted to raw.")]
    public HttpSource? Http { get; set; }
}
