using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>An account whose SSH keys are installed.</summary>
[Description("An account to create if missing, with SSH authorized keys.")]
public sealed class UserSpec
{
    [Required]
    [MaxLength(32)]
    [Pattern("^[a-z_][a-z0-9_-]*$")]
    [Description("User name.")]
    public string Name { get; set; } = string.Empty;

    [MaxItems(16)]
    [MaxLength(8192)]
    [Description("Public keys for ~/.ssh/authorized_keys, one per item.")]
    public IList<string>? SshAuthorizedKeys { get; set; }

    [Description("Secret key whose value holds more authorized_keys lines; added to sshAuthorizedKeys.")]
    public KeySelector? SshAuthorizedKeysSecretRef { get; set; }
}
