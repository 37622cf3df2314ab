using System.ComponentModel;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>An account created in the guest when missing (like useradd -m), with SSH keys and supplementary groups.</summary>
[Description("An account to create if missing, with SSH authorized keys. A new user gets the next free uid from UID_MIN, a group of its name, a locked password and /home/<name> with /etc/skel copied; an existing user keeps its uid, shell and home and only gains keys and groups.")]
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

    [MaxItems(32)]
    [MaxLength(32)]
    [Pattern("^[a-z_][a-z0-9_-]*$")]
    [Description("Supplementary groups (e.g. sudo, wheel) the user is added to; each must already exist in the guest.")]
    public IList<string>? Groups { get; set; }

    [MaxLength(256)]
    [Pattern(@"^/[^:\s]*$")]
    [Description("Login shell of a new user; defaults to /bin/bash when the guest has it, else /bin/sh. Must exist in the guest.")]
    public string? Shell { get; set; }

    [Minimum(1)]
    [Maximum(4294967294)]
    [Description("uid of a new user; defaults to the next free uid from the guest's UID_MIN (1000). It must not belong to another user; an existing user must already have it.")]
    public long? Uid { get; set; }
}
