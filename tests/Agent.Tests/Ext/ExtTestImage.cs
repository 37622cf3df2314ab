using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Disk;
using Imprint.Agent.Ext;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

/// <summary>
/// A small GPT disk with one ext partition made by mke2fs from a Debian-like tree plus files with special modes,
/// owners and symlinks (escapes, loops). Owned by one test; the temp folder goes with it.
/// </summary>
public sealed partial class ExtTestImage : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ExtTestImage(string fsType = "ext4", int blockSize = 4096, bool metadataCsum = true, bool bit64 = true, long diskMiB = 48, long partitionMiB = 40)
    {
        Image = _temp.File("disk.img");
        TestDisks.CreateGpt(Image, diskMiB, new PartitionSpec(partitionMiB));
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        AddSpecialFiles(tree);
        var features = fsType == "ext4"
            ? $"{(metadataCsum ? string.Empty : "^")}metadata_csum,{(bit64 ? string.Empty : "^")}64bit"
            : "^metadata_csum,^64bit";
        Offset = TestDisks.MakeExt(Image, 1, fsType, tree, "-b", blockSize.ToString(CultureInfo.InvariantCulture), "-O", features);
        var (offset, length) = TestDisks.PartitionRange(Image, 1);
        Range = new ByteRange(offset, length);
    }

    public string Image { get; }

    public long Offset { get; }

    public ByteRange Range { get; }

    public string Target => $"{Image}?offset={Offset}";

    public ExtFileSystem Open() => new(Image, Range);

    public string Cat(string guestPath) => Sh.DebugfsCat(Image, Offset, guestPath);

    /// <summary>Mode (permission bits), uid, gid and type word as debugfs' stat prints them (the oracle).</summary>
    public (int Mode, uint Uid, uint Gid, string Type) Stat(string guestPath)
    {
        var text = Sh.DebugfsStat(Image, Offset, guestPath);
        var type = TypeLine().Match(text);
        var owner = OwnerLine().Match(text);
        Assert.True(type.Success && owner.Success, $"debugfs stat of {guestPath} printed:\n{text}");
        return (Convert.ToInt32(type.Groups["mode"].Value, 8), uint.Parse(owner.Groups["uid"].Value, CultureInfo.InvariantCulture),
            uint.Parse(owner.Groups["gid"].Value, CultureInfo.InvariantCulture), type.Groups["type"].Value);
    }

    /// <summary>True when debugfs finds the path (without following a final symlink).</summary>
    public bool Exists(string guestPath) =>
        Sh.RunResult("debugfs", ["-R", $"stat \"{guestPath}\"", Target]).StandardError.Contains("File not found", StringComparison.Ordinal) is false;

    public string Debugfs(string command, bool writable = false) =>
        Sh.RunResult("debugfs", writable ? ["-w", "-R", command, Target] : ["-R", command, Target]).StandardOutput;

    /// <summary>Dumps a guest file to the host with debugfs and returns its bytes (binary-safe oracle).</summary>
    public byte[] Dump(string guestPath)
    {
        var host = _temp.File("dump-" + Guid.NewGuid().ToString("N"));
        Sh.RunResult("debugfs", ["-R", $"dump \"{guestPath}\" {host}", Target]);
        return File.ReadAllBytes(host);
    }

    public void AssertFsckClean() => Sh.AssertFsckClean(Image, Offset);

    public void Dispose() => _temp.Dispose();

    private static void AddSpecialFiles(string tree)
    {
        GuestTrees.Write(tree, "usr/bin/sudo", "#!sudo\n", 0b100_111_101_101);
        Directory.CreateDirectory(Path.Combine(tree, "usr/lib"));
        GuestTrees.Write(tree, "usr/lib/os-release", "ID=debian\n");
        File.SetUnixFileMode(Path.Combine(tree, "tmp"), (UnixFileMode)0b001_111_111_111);
        GuestTrees.Write(tree, "home/debian/.profile", "# profile\n", 0b110_100_000);
        foreach (var path in new[] { "home/debian", "home/debian/.bashrc", "home/debian/.profile" })
        {
            File.SetUnixFileMode(Path.Combine(tree, path), path == "home/debian" ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(Path.Combine(tree, path)));
            Sh.Run("chown", "1000:1000", Path.Combine(tree, path));
        }

        GuestTrees.Write(tree, "var/log/dpkg.log", "dpkg\n");
        GuestTrees.Write(tree, "var/log/alternatives.log", "alt\n");
        GuestTrees.Write(tree, "var/log/.hidden.log", "hidden\n");
        GuestTrees.Write(tree, "var/cache/apt/archives/a_1.0_amd64.deb", "deb a\n");
        GuestTrees.Write(tree, "var/cache/apt/archives/b_2.0_amd64.deb", "deb b\n");
        Directory.CreateDirectory(Path.Combine(tree, "var/cache/apt/archives/partial"));
        GuestTrees.Write(tree, "var/lib/dhcp/dhclient.eth0.leases", "lease\n");
        GuestTrees.Write(tree, "var/lib/dhcp/sub/nested.leases", "nested\n");
        GuestTrees.Write(tree, "root/.python_history", "print()\n");
        GuestTrees.Write(tree, "etc/host", "inside the guest\n");
        GuestTrees.Write(tree, "etc/dir with space/file name", "spaced\n");
        GuestTrees.Write(tree, "etc/ssh/sshd_config.d/50-cloud.conf", "PasswordAuthentication no\n");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/escape"), "/../../../etc/host");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/relative-escape"), "../../../../../etc/host");
        File.CreateSymbolicLink(Path.Combine(tree, "lib"), "usr/lib");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/loop-b"), "/etc/loop-a");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/long-link"), "/" + string.Concat(Enumerable.Repeat("usr/../", 12)) + "usr/lib/os-release");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/resolv-dangling"), "../run/systemd/resolve/stub-resolv.conf");
        File.CreateSymbolicLink(Path.Combine(tree, "etc/mtab"), "/proc/self/mounts");
    }

    [GeneratedRegex(@"Type: (?<type>\S+)\s+Mode:\s+(?<mode>[0-7]+)")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"User:\s+(?<uid>\d+)\s+Group:\s+(?<gid>\d+)")]
    private static partial Regex OwnerLine();
}
