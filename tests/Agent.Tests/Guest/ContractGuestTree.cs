using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Guest;

/// <summary>
/// The host tree every engine's contract test packs into its own filesystem (mkfs.ext4 -d, guestfish tar-in): files
/// with modes and owners, symlinks absolute, relative, escaping the root, dangling and to directories, hidden names
/// and nested folders for globs. Ownership needs root on the host (tests run as root).
/// </summary>
public static class ContractGuestTree
{
    public static string Build(string root)
    {
        GuestTrees.Write(root, "etc/hostname", "golden\n", 0b110_100_100);
        GuestTrees.Write(root, "etc/secret", "top\n", 0b110_000_000);
        GuestTrees.Write(root, "etc/machine-id", "0123456789abcdef0123456789abcdef\n", 0b100_100_100);
        GuestTrees.Write(root, "home/user/notes.txt", "mine\n", 0b110_100_000);
        GuestTrees.Write(root, "var/log/a.log", "a\n");
        GuestTrees.Write(root, "var/log/b.log", "b\n");
        GuestTrees.Write(root, "var/log/.hidden.log", "h\n");
        GuestTrees.Write(root, "var/log/sub/c.log", "c\n");
        GuestTrees.Write(root, "var/log/sub/deeper/d.txt", "d\n");
        Directory.CreateDirectory(Path.Combine(root, "var/empty"));
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        File.CreateSymbolicLink(Path.Combine(root, "etc/link-abs"), "/etc/hostname");
        File.CreateSymbolicLink(Path.Combine(root, "etc/link-rel"), "hostname");
        File.CreateSymbolicLink(Path.Combine(root, "etc/link-escape"), "../../../../../etc/hostname");
        File.CreateSymbolicLink(Path.Combine(root, "etc/dangling"), "/nonexistent/file");
        File.CreateSymbolicLink(Path.Combine(root, "etc/loglink"), "/var/log");
        File.CreateSymbolicLink(Path.Combine(root, "etc/resolv.conf"), "../run/systemd/resolve/stub-resolv.conf");
        File.CreateSymbolicLink(Path.Combine(root, "var/log/sub/to-a"), "../a.log");
        Sh.Run("chown", "-R", "1000:1000", Path.Combine(root, "home/user"));
        return root;
    }
}
