using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>One sealed version of a GoldenImage's disk, on its own claim.</summary>
[Description("One imported, inspected and sealed version of the image, on its own PVC.")]
public sealed class GoldenImageRevision
{
    [Required]
    [MaxLength(16)]
    [Pattern(GoldenImageRevision.NamePattern)]
    [Description("r1, r2, ...: r1 is the first import, each update adds the next.")]
    public string Name { get; set; } = string.Empty;

    [Required]
    [MaxLength(253)]
    [Description("The PVC holding this revision's disk: r1 keeps the image's first claim (<name>-golden), later revisions get <claim>-r<N>.")]
    public string Claim { get; set; } = string.Empty;

    [Pattern("^sha256:[0-9a-f]{64}$")]
    [Description("Digest of this revision's sealed disk (see status.digest); copies from it are checked against it.")]
    public string? Digest { get; set; }

    [MaxLength(160)]
    [Description("Checksum of the downloaded source file this revision was made from (sha256:<hex> or sha512:<hex>).")]
    public string? SourceChecksum { get; set; }

    [MaxLength(512)]
    [Description("What the server said about the source file when this revision was made (ETag, Last-Modified, "
        + "Content-Length): without a checksum file, a change of it means a new source.")]
    public string? SourceVersion { get; set; }

    [Description("Virtual size of this revision's disk in bytes.")]
    public long? VirtualSize { get; set; }

    [Description("Fingerprint of this revision's sealed disk (see status.fingerprint).")]
    public DiskFingerprint? Fingerprint { get; set; }

    [Description("When the revision was started.")]
    public DateTimeOffset? Created { get; set; }

    [Description("True once the revision is sealed and VmClones may use it; false while it is being built or when it failed.")]
    public bool? Ready { get; set; }

    [MaxLength(1024)]
    [Description("Why the revision could not be built (it is never used; the next update that finds a change builds the next revision).")]
    public string? Message { get; set; }

    /// <summary>r&lt;N&gt;, N ≥ 1.</summary>
    public const string NamePattern = "^r[1-9][0-9]{0,5}$";
}
