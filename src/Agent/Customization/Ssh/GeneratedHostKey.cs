namespace Imprint.Agent.Customization.Ssh;

/// <summary>A host key pair made by ssh-keygen: the private key file's bytes, its public line and SHA256 fingerprint.</summary>
public sealed record GeneratedHostKey(string Type, byte[] PrivateKey, string PublicKeyLine, string Fingerprint)
{
    /// <summary>/etc/ssh/ssh_host_&lt;type&gt;_key</summary>
    public string PrivatePath => SshHostKeyGenerator.PrivateKeyPath(Type);

    public string PublicPath => PrivatePath + ".pub";
}
