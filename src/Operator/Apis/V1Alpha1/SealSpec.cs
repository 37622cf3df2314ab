using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Which seal operations run on the imported disk.</summary>
[Description("Sealing removes machine identity (machine-id, SSH host keys, logs, ...) so clones start unique.")]
public sealed class SealSpec
{
    [MaxItems(64)]
    [MaxLength(63)]
    [Pattern("^[a-z0-9][-a-z0-9]*$")]
    [Description("Seal operations to run, by name (see 'imprint seal --list-operations'). "
        + "Absent: the agent's default operations (for a derived golden, source.goldenImage, without ssh-userdir, net-hwaddr and "
            + "net-nmconn, which would undo its customize; its parent was sealed with them). An empty list: no operations (the Sealing phase still inspects).")]
    public IList<string>? Operations { get; set; }

    [Default(false)]
    [Description("true skips the Sealing phase entirely, for images that are already sealed; operations is then ignored.")]
    public bool? Disabled { get; set; }

    [Default(false)]
    [Description("true shrinks the sealed disk to near its minimum ('imprint shrink': ext root on the last partition, Filesystem-mode claim) "
        + "so clones may be smaller than the imported image; status.minimumSize then says how small.")]
    public bool? Shrink { get; set; }
}
