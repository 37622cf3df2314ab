namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// A guest account: created like <c>useradd -m</c> when the guest does not have it yet (cloud images ship without a
/// regular user), then given SSH authorized keys and supplementary groups. An existing user keeps its uid, shell and
/// home; only keys and groups are added.
/// </summary>
public sealed record UserSpec
{
    public string? Name { get; set; }

    /// <summary>OpenSSH public key lines, added to ~/.ssh/authorized_keys unless already present.</summary>
    public List<string>? SshAuthorizedKeys { get; set; }

    /// <summary>A file of authorized_keys lines (a mounted Secret or ConfigMap key).</summary>
    public string? SshAuthorizedKeysFile { get; set; }

    /// <summary>Supplementary groups (e.g. sudo, wheel) that must exist in the guest; the user is added to each.</summary>
    public List<string>? Groups { get; set; }

    /// <summary>Login shell of a new user; default /bin/bash when the guest has it, else /bin/sh.</summary>
    public string? Shell { get; set; }

    /// <summary>uid of a new user; default the next free one from UID_MIN (1000). An existing user must already have it.</summary>
    public uint? Uid { get; set; }
}
