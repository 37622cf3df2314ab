namespace Imprint.Agent.Customization.Passwords;

/// <summary>One /etc/passwd line: name:password:uid:gid:gecos:home:shell.</summary>
public sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Gecos, string Home, string Shell);
