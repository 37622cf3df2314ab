using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>How a GoldenImage keeps itself current: when to look for a new source, and how many revisions to keep.</summary>
[Description("Keeps the image current: on the schedule the operator checks the source cheaply (the checksum file's line "
    + "for the image, else the server's ETag, Last-Modified and Content-Length) and imports, inspects and seals a new "
    + "revision only when it changed; the new revision then becomes current. For a derived golden (source.goldenImage): "
    + "followParent rebuilds it as a new revision when its parent's current revision changes.")]
public sealed class UpdatePolicy
{
    [MaxLength(128)]
    [Pattern(@"^\S+\s+\S+\s+\S+\s+\S+\s+\S+$")]
    [Description("For an http source (required there): when to check for a new source, as a 5-field cron expression in UTC (minute hour day-of-month month "
        + "day-of-week; *, lists, ranges and steps), e.g. \"0 3 * * 1\" for Mondays at 03:00.")]
    public string? Schedule { get; set; }

    [Default(3)]
    [Minimum(1)]
    [Maximum(16)]
    [Description("How many ready revisions to keep, the current one included. Older ones are removed (claim deleted) once "
        + "no VmClone in progress copies from them or pins them.")]
    public int? KeepRevisions { get; set; }

    [MaxLength(2048)]
    [Pattern(@"^https?://[^\s/?#]+[^\s]*$")]
    [Description("URL of a checksum file in the sha256sum format (e.g. SHA256SUMS or SHA512SUMS: '<hex>  <file name>' per line; BSD-style 'SHA256 (<file name>) = <hex>' too). The "
        + "line for the source URL's file name says whether the image changed and verifies the new download; without "
        + "spec.source.http.checksum it verifies the first download (revision r1) too. Absent: "
        + "the server's ETag, Last-Modified and Content-Length say whether it changed, and a new download is not verified "
        + "against a published checksum (its own sha256 is recorded).")]
    public string? ChecksumUrl { get; set; }

    [Default(false)]
    [Description("For a derived golden (source.goldenImage without a pinned revision): when the parent's current revision "
        + "(or, for a parent without revisions, its digest) differs from the one this image was built from, build it again "
        + "from the new one as a new revision; the current revision keeps serving until the new one is Ready. false: the "
        + "image stays on what it was built from.")]
    public bool? FollowParent { get; set; }
}
