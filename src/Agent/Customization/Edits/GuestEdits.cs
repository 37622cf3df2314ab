namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// What one customization step wants changed in the guest: files to write, symlinks to make, paths to delete
/// (deleting a path that does not exist is not an error). The disk layer applies them; nothing here touches a disk.
/// </summary>
public sealed record GuestEdits(IReadOnlyList<GuestFile> Files, IReadOnlyList<GuestSymlink> Symlinks, IReadOnlyList<string> Deletes)
{
    public static GuestEdits Empty { get; } = new([], [], []);

    public static GuestEdits Of(params GuestFile[] files) => new(files, [], []);

    public GuestEdits Concat(GuestEdits other) =>
        new([.. Files, .. other.Files], [.. Symlinks, .. other.Symlinks], [.. Deletes, .. other.Deletes]);
}
