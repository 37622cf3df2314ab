namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// A file a customization writes: guest path, text content, and mode/owner. A null mode or owner means "keep the
/// existing file's, or the default (0644, root) for a new file".
/// </summary>
public sealed record GuestFile(string Path, string Content, int? Mode = null, uint? Uid = null, uint? Gid = null)
{
    public const int PublicMode = 0b110_100_100;
    public const int PrivateMode = 0b110_000_000;
    public const int ExecutableMode = 0b111_101_101;
}
