namespace Imprint.Agent.Customization.Passwords;

/// <summary>One /etc/passwd user.</summary>
public sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home, string Shell);
