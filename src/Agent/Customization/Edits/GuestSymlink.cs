namespace Imprint.Agent.Customization.Edits;

/// <summary>A symbolic link to create or replace at <see cref="Path"/>, pointing at <see cref="Target"/> (kept verbatim).</summary>
public sealed record GuestSymlink(string Path, string Target);
