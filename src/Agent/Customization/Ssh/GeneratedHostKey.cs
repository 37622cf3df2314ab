namespace Imprint.Agent.Customization.Ssh;

/// <summary>A host key pair made by ssh-keygen, with its public line and SHA256 fingerprint.</summary>
public sealed record GeneratedHostKey(string Type, byte[] PrivateKey, string PublicKeyLine, string Fingerprint)
{
    public string PrivatePath => $"/etc/ssh/ssh_host_{Type}_key";

    public string PublicPath => PrivatePath + ".pub";
}
