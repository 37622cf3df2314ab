using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>Set or lock root's password.</summary>
[Description("Set root's password from a Secret, or lock it.")]
[CelRule("has(self.secretKeyRef) != (has(self.lock) && self.lock)", "set exactly one of rootPassword.secretKeyRef or rootPassword.lock: true")]
public sealed class RootPasswordSpec
{
    [Description("Secret key holding the password (plain text, or a crypt(3) hash starting with '$').")]
    public KeySelector? SecretKeyRef { get; set; }

    [Description("true locks root's password (no password login).")]
    public bool? Lock { get; set; }
}
