namespace Imprint.Agent.Customization.Spec;

/// <summary>SSH authorized keys for a user that already exists in the guest.</summary>
public sealed record UserSpec
{
    public string? Name { get; set; }

    /// <summary>OpenSSH public key lines, added to ~/.ssh/authorized_keys unless already present.</summary>
    public List<string>? SshAuthorizedKeys { get; set; }

    /// <summary>A file of authorized_keys lines (a mounted Secret or ConfigMap key).</summary>
    public string? SshAuthorizedKeysFile { get; set; }
}
