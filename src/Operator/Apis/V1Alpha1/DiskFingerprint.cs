using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>What a CSI-cloned or snapshot-restored claim must hold before a clone is customized on it.</summary>
[Description("Fingerprint of the sealed golden disk: a CSI clone or snapshot restore is checked against it before it is customized.")]
public sealed class DiskFingerprint
{
    [Description("Bytes of the disk the hashes cover.")]
    public long Size { get; set; }

    [Pattern("^[0-9a-f]{64}$")]
    [Description("SHA-256 (hex) of the disk's first MiB: partition table and boot code.")]
    public string Head { get; set; } = string.Empty;

    [Pattern("^[0-9a-f]{64}$")]
    [Description("SHA-256 (hex) of the disk's last MiB: backup GPT and the end of the last partition.")]
    public string Tail { get; set; } = string.Empty;
}
