using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A disk image downloaded over HTTP(S) and verified against a checksum.</summary>
[Description("A disk image downloaded over HTTP(S) and verified against its checksum before use.")]
public sealed class HttpSource
{
    [Required]
    [MaxLength(2048)]
    [Pattern(@"^https?://[^\s/?#]+[^\s]*$")]
    [Description("http:// or https:// URL of the image.")]
    public string Url { get; set; } = string.Empty;

    [Pattern("^(sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128})$")]
    [Description("Digest of the downloaded file as sha256:<64 hex> or sha512:<128 hex>; the import fails on mismatch. "
        + "Required unless spec.updatePolicy.checksumUrl is set: then the first import (revision r1) is verified against "
        + "the checksum file's line for the image. Given both, this one verifies r1 and the file the later revisions.")]
    public string? Checksum { get; set; }

    [Description("A Secret in the GoldenImage's namespace with request credentials: keys 'username' and 'password' "
        + "for basic auth, or any other keys sent as HTTP headers.")]
    public LocalObjectReference? SecretRef { get; set; }
}
