namespace Imprint.Agent.Customization.Passwords;

/// <summary>One /etc/group line: name:password:gid:member,member.</summary>
public sealed record GroupEntry(string Name, uint Gid, IReadOnlyList<string> Members);
