namespace Imprint.Agent.Results;

/// <summary>A host key generated for a clone, so users can pin known_hosts before the first boot.</summary>
public sealed record SshHostKeyReport(string Type, string PublicKey, string Fingerprint);
