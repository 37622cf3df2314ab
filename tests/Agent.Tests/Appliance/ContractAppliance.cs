using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Imprint.Agent.Appliance;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>
/// ONE appliance launch for the whole <see cref="GuestFileSystemContract"/> on the libguestfs engine: a bare xfs image
/// of <see cref="ContractGuestTree"/> (made on the host by mkfs.xfs from a prototype file, no launch), one copy per
/// test case, all added as drives to one appliance. Each test instance takes the next drive; opening it mounts that
/// drive at <c>/</c> (read-only or read-write) and hands the engine the shared session. Not thread-safe: xUnit runs a
/// class's tests one at a time.
/// </summary>
public sealed class ContractAppliance : IDisposable
{
    private const long ImageBytes = 320 * TestDisks.MiB; // mkfs.xfs refuses filesystems under 300 MiB
    private readonly TempDirectory _temp = new();
    private readonly ApplianceSession _session;
    private readonly IReadOnlyList<string> _devices;
    private readonly List<string> _images = [];
    private int _next;
    private (string Device, bool ReadOnly)? _mounted;

    public ContractAppliance()
    {
        var golden = _temp.File("golden.xfs");
        BuildXfs(golden, ContractGuestTree.Build(_temp.File("tree")));
        var count = TestCaseCount(typeof(ApplianceGuestFileSystemContractTests));
        for (var i = 0; i < count; i++)
        {
            var copy = _temp.File($"case-{i}.xfs");
            Sh.Run("cp", "--sparse=always", golden, copy);
            _images.Add(copy);
        }

        _session = ApplianceSession.Create();
        try
        {
            foreach (var image in _images)
            {
                _session.AddDrive(image, readOnly: false);
            }

            _session.Launch();
            _devices = _session.ListDevices();
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        Assert.Equal(count, _devices.Count);
    }

    /// <summary>The next unused drive, for one test instance: its device in the appliance and its image on the host.</summary>
    public (string Device, string Image) TakeDrive()
    {
        Assert.True(_next < _devices.Count, $"the contract has more test cases than the {_devices.Count} drives counted");
        var index = _next++;
        return (_devices[index], _images[index]);
    }

    /// <summary>Mounts <paramref name="device"/> at / as the engine expects its guest and opens the engine over the shared session.</summary>
    public IGuestFileSystem Open(string device, GuestAccess access)
    {
        Mount(device, readOnly: access == GuestAccess.ReadOnly);
        var mounts = new ApplianceMounts(device, device, "xfs", null, null, null, [new("/", device)], []);
        return ApplianceGuestFileSystem.OverSharedSession(_session, access == GuestAccess.ReadWrite, mounts);
    }

    /// <summary>libguestfs' own lstat of a path (no engine code), with the drive mounted.</summary>
    public GuestOracleEntry? Stat(string device, string path)
    {
        EnsureMounted(device);
        if (!_session.Exists(path) && !IsSymlink(path))
        {
            return null;
        }

        var stat = _session.Lstat(path);
        var kind = stat.IsDirectory ? GuestFileKind.Directory : stat.IsRegularFile ? GuestFileKind.File : stat.IsSymlink ? GuestFileKind.Symlink : GuestFileKind.Other;
        return new GuestOracleEntry(kind, stat.Permissions, stat.Uid, stat.Gid, stat.IsSymlink ? _session.Readlink(path) : null);
    }

    public string? Read(string device, string path) =>
        Stat(device, path) is { Kind: GuestFileKind.File } ? Encoding.UTF8.GetString(_session.ReadFile(path)) : null;

    /// <summary>
    /// A digest of everything the filesystem holds: every path's type, mode, owner, size and inode, file contents
    /// (sha256 inside the appliance) and link targets. Raw device bytes would not do: mounting xfs read-write writes
    /// its log even when no file changes.
    /// </summary>
    public string TreeDigest(string device)
    {
        EnsureMounted(device);
        var text = new StringBuilder();
        foreach (var relative in _session.Find("/").Order(StringComparer.Ordinal))
        {
            var path = "/" + relative;
            var stat = _session.Lstat(path);
            text.Append(path).Append(' ').Append(stat.Mode).Append(' ').Append(stat.Uid).Append(':').Append(stat.Gid)
                .Append(' ').Append(stat.Size).Append(' ').Append(stat.Inode).Append(' ')
                .Append(stat.IsRegularFile ? _session.Sha256(path) : stat.IsSymlink ? _session.Readlink(path) : string.Empty).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Unmounts and flushes the drive, then runs xfs_repair -n on its image on the host (the filesystem's own checker).</summary>
    public void AssertConsistent(string image)
    {
        _session.UmountAll();
        _session.Sync();
        _mounted = null;
        var result = Sh.RunResult("xfs_repair", ["-n", "-f", image], accept: [0, 1]);
        Assert.True(result.ExitStatus == 0, $"xfs_repair -n found problems:\n{result.StandardOutput}\n{result.StandardError}");
    }

    public void Dispose()
    {
        _session.Dispose();
        _temp.Dispose();
    }

    /// <summary>How many test cases (facts, and theories' data rows) the class runs: one drive each.</summary>
    private static int TestCaseCount(Type testClass) =>
        testClass.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Sum(m => m.GetCustomAttribute<TheoryAttribute>() is not null ? m.GetCustomAttributes<InlineDataAttribute>().Count()
                : m.GetCustomAttribute<FactAttribute>() is not null ? 1 : 0);

    /// <summary>mkfs.xfs -p: the tree with its modes, owners and symlinks, written by mkfs itself (no mount, no appliance).</summary>
    private void BuildXfs(string image, string tree)
    {
        var proto = new StringBuilder("/dev/null\n0 0\nd--755 0 0\n");
        AppendDirectory(proto, tree, 1);
        proto.Append("$\n");
        var protoFile = _temp.File("contract.proto");
        File.WriteAllText(protoFile, proto.ToString());
        using (var stream = File.Create(image))
        {
            stream.SetLength(ImageBytes);
        }

        Sh.Run("mkfs.xfs", "-q", "-f", "-p", protoFile, image);
    }

    private static void AppendDirectory(StringBuilder proto, string directory, int depth)
    {
        var indent = new string(' ', depth);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            // The owner and mode exactly as the host tree has them.
            var fields = Sh.Run("stat", "-c", "%u %g %a", entry.FullName).Split(' ', StringSplitOptions.TrimEntries);
            var (uid, gid, mode) = (fields[0], fields[1], fields[2].PadLeft(3, '0'));
            if (entry.LinkTarget is { } target)
            {
                proto.Append(indent).Append(entry.Name).Append(" l--777 ").Append(uid).Append(' ').Append(gid).Append(' ').Append(target).Append('\n');
            }
            else if (entry is DirectoryInfo)
            {
                proto.Append(indent).Append(entry.Name).Append(" d--").Append(mode).Append(' ').Append(uid).Append(' ').Append(gid).Append('\n');
                AppendDirectory(proto, entry.FullName, depth + 1);
                proto.Append(indent).Append("$\n");
            }
            else
            {
                proto.Append(indent).Append(entry.Name).Append(" ---").Append(mode).Append(' ').Append(uid).Append(' ').Append(gid).Append(' ').Append(entry.FullName).Append('\n');
            }
        }
    }

    private void Mount(string device, bool readOnly)
    {
        _session.UmountAll();
        _mounted = null;
        _session.Mount(device, "/", string.Empty, readOnly);
        _mounted = (device, readOnly);
    }

    private void EnsureMounted(string device)
    {
        if (_mounted?.Device != device)
        {
            Mount(device, readOnly: true);
        }
    }

    private bool IsSymlink(string path)
    {
        try
        {
            return _session.Lstat(path).IsSymlink;
        }
        catch (ApplianceException)
        {
            return false;
        }
    }
}
