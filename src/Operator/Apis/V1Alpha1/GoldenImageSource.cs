using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Where a golden image's disk comes from: exactly one of an existing PVC, an HTTP download or another golden image.</summary>
[Description("Where the disk comes from. Set exactly one of pvc, http or goldenImage.")]
[CelRule("[has(self.pvc), has(self.http), has(self.goldenImage)].filter(x, x).size() == 1", "set exactly one of source.pvc, source.http or source.goldenImage")]
public sealed class GoldenImageSource
{
    [Description("An existing PVC holding a disk (e.g. a CDI DataVolume's). It is only read, never modified; "
        + "a PVC in another namespace needs that namespace's consent (the operator checks with a SubjectAccessReview).")]
    public NamespacedObjectReference? Pvc { get; set; }

    [Description("A disk image to download (qcow2, vmdk, vhdx, raw, optionally xz- or gzip-compressed); it is converted to raw.")]
    public HttpSource? Http { get; set; }

    [Description("Another GoldenImage to build on (a layered golden): its disk is copied as a VmClone copies it, "
        + "spec.customize is applied, and the result is inspected and sealed like any golden. The parent is only read.")]
    public GoldenImageReference? GoldenImage { get; set; }
}
