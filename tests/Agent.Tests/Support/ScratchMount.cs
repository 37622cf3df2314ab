namespace Imprint.Agent.Tests.Support;

/// <summary>
/// A real mount for the failures only a filesystem can produce: a tmpfs of a given size (ENOSPC), remounted read-only
/// (EROFS; chmod is no test, root ignores it), or a small ext4 image over a loop device (EFBIG past its largest file).
/// Unmounted on dispose.
/// </summary>
public sealed class ScratchMount : IDisposable
{
    private readonly TempDirectory _folder = new();

    private ScratchMount()
    {
        Path = _folder.File("mnt");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static ScratchMount Tmpfs(long sizeMiB)
    {
        var mount = new ScratchMount();
        Sh.Run("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", mount.Path);
        return mount;
    }

    /// <summary>An ext4 filesystem with 1 KiB blocks (largest file 4 TiB) in an image file, mounted through a loop device.</summary>
    public static ScratchMount Ext4With1KiBBlocks()
    {
        var mount = new ScratchMount();
        var image = mount._folder.File("fs.img");
        TestDisks.CreateSparse(image, 64 * TestDisks.MiB);
        Sh.Run("mkfs.ext4", "-q", "-b", "1024", image);
        Sh.Run("mount", "-o", "loop", image, mount.Path);
        return mount;
    }

    public void RemountReadOnly() => Sh.Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        // Lazy: an in-process command may leave a parked debugfs session holding a file open for a moment; the
        // filesystem (and a loop device, autocleared) goes away once it closes.
        Sh.RunResult("umount", ["--lazy", Path], accept: [0, 1, 32]);
        _folder.Dispose();
    }
}
