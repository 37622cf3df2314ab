using System.ComponentModel;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>A host key of the clone, so clients can pin it before the first connection.</summary>
[Description("A host key of the clone, for known_hosts.")]
public sealed class SshHostKey
{
    [Description("Key type, e.g. ssh-ed25519.")]
    public string Type { get; set; } = string.Empty;

    [Description("Public key in OpenSSH format.")]
    public string PublicKey { get; set; } = string.Empty;

    [Description("SHA256 fingerprint, as ssh-keygen -l prints it.")]
    public string Fingerprint { get; set; } = string.Empty;
}
