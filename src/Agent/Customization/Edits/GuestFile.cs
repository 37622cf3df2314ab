namespace Imprint.Agent.Customization.Edits;

/// <summary>A file a customization writes: guest path, content, and mode/owner (null = keep existing or default).</summary>
public sealed record GuestFile(string Path, string Content, int? Mode = null, uint? Uid = null, uint? Gid = null);
