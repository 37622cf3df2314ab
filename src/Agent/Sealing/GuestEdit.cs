namespace Imprint.Agent.Sealing;

/// <summary>One planned edit: which operation wants it, on which path, and (for rewrites) the new content.</summary>
public sealed record GuestEdit(string Operation, string Path, GuestEditKind Kind, string? NewContent = null);
