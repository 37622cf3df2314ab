namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// The root password: from a file (hashed here with SHA-512 crypt), or an existing crypt hash; and/or locked. The
/// plain password is never accepted inline, so it cannot end up in a VmClone object or a log.
/// </summary>
public sealed record RootPasswordSpec
{
    /// <summary>Path of a file holding the plain password (a mounted Secret key). One trailing newline is ignored.</summary>
    public string? File { get; set; }

    /// <summary>An existing crypt(3) hash such as <c>$6$salt$…</c>.</summary>
    public string? Hash { get; set; }

    /// <summary>Lock root's password (a '!' prefix, like <c>passwd -l</c>).</summary>
    public bool Lock { get; set; }
}
