namespace Imprint.Agent.Customization.Spec;

/// <summary>SSH authorized keys for an existing guest user.</summary>
public sealed class UserSpec
{
    public string? Name { get; set; }

    public List<string>? SshAuthorizedKeys { get; set; }

    /// <summary>A file of authorized_keys lines (a mounted Secret key).</summary>
    public string? SshAuthorizedKeysFile { get; set; }
}
