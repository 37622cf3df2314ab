using System.Globalization;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// The support matrix, one row per guest × operation, through the CLI as a Job runs it and checked only by outside
/// oracles: libguestfs' inspection and reads, the filesystems' own checkers, sgdisk -v, sfdisk and LVM's metadata.
/// Behind <c>IMPRINT_GUEST_TESTS=1</c> (<c>make test-guests</c>): each guest costs about six appliance launches.
/// </summary>
public sealed class GuestMatrixTests
{
    private const long MiB = TestDisks.MiB;

    public static TheoryData<TestGuestKind> Kinds => new(Enum.GetValues<TestGuestKind>());

    [GuestMatrixTheory]
    [MemberData(nameof(Kinds))]
    public void Inspect_names_the_distro_hostname_root_partition_network_style_and_engine(TestGuestKind kind)
    {
        var run = GuestMatrixRun.For(kind);

        run.Inspect.AssertSucceeded();
        var guest = run.Inspect.Result!.RootElement.GetProperty("guest");
        Assert.Equal(run.Guest.OsId, guest.GetProperty("distro").GetString());
        Assert.Equal("golden", guest.GetProperty("hostname").GetString());
        Assert.Equal(run.Guest.RootPartition, guest.GetProperty("rootPartition").GetInt32());
        Assert.Equal(run.Guest.NetworkStyle, guest.GetProperty("networkStyle").GetString());
        Assert.Equal("libguestfs", run.Inspect.Engine);
    }

    [GuestMatrixTheory]
    [MemberData(nameof(Kinds))]
    public void Clone_with_grow_extends_the_root_to_the_end_of_the_larger_disk_and_every_checker_passes(TestGuestKind kind)
    {
        var run = GuestMatrixRun.For(kind);

        run.Clone.AssertSucceeded();
        Assert.Equal(GuestMatrixRun.GrownMiB * MiB, new FileInfo(run.Work).Length);
        Sh.AssertGptValid(run.Work);
        var (offset, length) = TestDisks.PartitionRange(run.Work, run.Guest.RootPartition);
        var usableEnd = (GuestMatrixRun.GrownMiB * MiB) - (33 * 512);
        Assert.True(offset + length <= usableEnd && offset + length > usableEnd - MiB, $"partition {run.Guest.RootPartition} ends at {offset + length}, the disk's usable end is {usableEnd} (sfdisk --json)");
        var readBack = AssertReadBack(run.AfterSeal);
        Assert.All(readBack.CheckerProblems, p => Assert.Fail(p));
        if (run.Guest.VolumeGroup is not null)
        {
            var (pvSize, lvSizes) = Lvm(readBack.Lvm);
            Assert.True(pvSize > length - (4 * MiB) && pvSize <= length, $"the PV holds {pvSize} of its {length}-byte partition (lvm pvs):\n{readBack.Lvm}");
            Assert.True(lvSizes["root"] + lvSizes["swap"] > pvSize - (8 * MiB), $"root and swap LVs hold {lvSizes["root"] + lvSizes["swap"]} of the PV's {pvSize} bytes (lvm lvs):\n{readBack.Lvm}");
            Assert.Equal(lvSizes["root"], readBack.RootDeviceBytes);
        }
        else
        {
            Assert.Equal(length, readBack.RootDeviceBytes);
        }

        Assert.True(readBack.RootFileSystemBytes > readBack.RootDeviceBytes * 9 / 10, $"the root filesystem holds {readBack.RootFileSystemBytes} bytes of its {readBack.RootDeviceBytes}-byte device (statvfs)");
        Assert.Equal("libguestfs", run.Clone.Engine);
    }

    [GuestMatrixTheory]
    [MemberData(nameof(Kinds))]
    public void Seal_clears_machine_id_host_keys_logs_leases_and_shell_history_and_marks_selinux_relabel(TestGuestKind kind)
    {
        var run = GuestMatrixRun.For(kind);

        run.Seal.AssertSucceeded();
        var readBack = AssertReadBack(run.AfterSeal);
        Assert.All(readBack.CheckerProblems, p => Assert.Fail(p));
        Assert.Equal(string.Empty, readBack.Files["/etc/machine-id"]?.Trim() ?? string.Empty);
        foreach (var gone in new[] { "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ecdsa_key.pub", "/var/log/messages", "/var/log/cloud-init.log", "/root/.bash_history", $"/home/{GuestMatrixRun.ExistingUser(kind)}/.bash_history" })
        {
            Assert.True(readBack.Files[gone] is null or "", $"{gone} survived the seal: {readBack.Files[gone]}");
        }

        Assert.All(readBack.GlobContents, g => Assert.True(g.Value.Length == 0, $"{g.Key} still holds DHCP lease state: {g.Value}"));
        Assert.Contains("sshd_config", readBack.Listings["/etc/ssh"]);
        Assert.Equal("golden", readBack.Files["/etc/hostname"]?.Trim());
        if (run.Guest.SeLinux)
        {
            Assert.NotNull(readBack.Files["/.autorelabel"]);
        }
    }

    [GuestMatrixTheory]
    [MemberData(nameof(Kinds))]
    public void Customize_applies_every_field_of_the_spec_in_the_distros_own_files(TestGuestKind kind)
    {
        var run = GuestMatrixRun.For(kind);

        run.Customize.AssertSucceeded();
        var readBack = AssertReadBack(run.AfterCustomize);
        var files = readBack.Files;
        Assert.All(readBack.CheckerProblems, p => Assert.Fail(p));

        // hostname, hosts, dns
        Assert.All(run.Guest.HostnameFiles, f => Assert.Equal(GuestMatrixRun.Hostname, files[f]?.Trim()));
        if (kind == TestGuestKind.OpenSuseBtrfs)
        {
            Assert.Equal("hostname", readBack.Links["/etc/HOSTNAME"]);
        }

        Assert.Contains("10.20.30.1", files["/etc/hosts"]);
        Assert.Contains("gateway.matrix.internal", files["/etc/hosts"]);
        var network = readBack.GlobContents[$"{run.Guest.NetworkFolder}/*"];
        Assert.Contains("10.20.30.2", files["/etc/resolv.conf"] + network);
        Assert.Contains("matrix.internal", files["/etc/resolv.conf"] + network);

        // root password, users, groups, authorized keys
        Assert.StartsWith("root:$6$", files["/etc/shadow"]!.Split('\n').Single(l => l.StartsWith("root:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"\n{GuestMatrixRun.NewUser}:x:{GuestMatrixRun.NewUserUid}:", "\n" + files["/etc/passwd"]);
        Assert.Contains(GuestMatrixRun.NewUser, files["/etc/group"]!.Split('\n').Single(l => l.StartsWith("wheel:", StringComparison.Ordinal)));
        Assert.Contains(GuestMatrixRun.UserKey, files[$"/home/{GuestMatrixRun.NewUser}/.ssh/authorized_keys"]);
        Assert.Contains(GuestMatrixRun.FileKey, files[$"/home/{GuestMatrixRun.ExistingUser(kind)}/.ssh/authorized_keys"]);
        Assert.Equal((int)GuestMatrixRun.NewUserUid, readBack.Stats[$"/home/{GuestMatrixRun.NewUser}"].Uid);
        Assert.Equal((int)GuestMatrixRun.NewUserUid, readBack.Stats[$"/home/{GuestMatrixRun.NewUser}/.ssh/authorized_keys"].Uid);

        // host keys and machine-id regenerated
        Assert.StartsWith("ssh-ed25519 ", files["/etc/ssh/ssh_host_ed25519_key.pub"]);
        Assert.NotEqual(run.Guest.GoldenHostKey.Split(' ')[1], files["/etc/ssh/ssh_host_ed25519_key.pub"]!.Split(' ')[1]);
        // RHEL-family sshd-keygen makes private keys root:ssh_keys 0640 where the group exists; elsewhere root:root 0600.
        var sshKeysGid = files["/etc/group"]!.Split('\n').Select(l => l.Split(':')).Where(f => f.Length >= 3 && f[0] == "ssh_keys").Select(f => (int?)int.Parse(f[2], CultureInfo.InvariantCulture)).SingleOrDefault();
        var privateKeys = GuestMatrixRun.PrivateHostKeys.Where(readBack.Stats.ContainsKey).ToList();
        Assert.True(privateKeys.Count > 0, $"no private host key after the regeneration; /etc/ssh holds {string.Join(' ', readBack.Listings["/etc/ssh"])}");
        Assert.Contains("ssh_host_ed25519_key", readBack.Listings["/etc/ssh"]);
        Assert.All(privateKeys, k =>
        {
            var (mode, uid, gid) = readBack.Stats[k];
            Assert.Equal((sshKeysGid is null ? 0b110_000_000 : 0b110_100_000, 0, sshKeysGid ?? 0), (mode & 0b111_111_111, uid, gid));
            Assert.Equal(0, mode & 0b111);
        });
        Assert.Matches("^[0-9a-f]{32}$", files["/etc/machine-id"]!.Trim());
        Assert.NotEqual(TestGuestTrees.GoldenMachineId, files["/etc/machine-id"]!.Trim());

        // timezone, network
        Assert.EndsWith("zoneinfo/Europe/Berlin", readBack.Links["/etc/localtime"]);
        Assert.Contains("10.20.30.40", network);
        Assert.Contains("1450", network);

        // files with content, contentFile and base64, modes and owners
        Assert.Equal(GuestMatrixRun.MotdContent, files["/etc/matrix/motd"]);
        Assert.Equal((0b110_100_000, (int)GuestMatrixRun.NewUserUid, 10), (readBack.Stats["/etc/matrix/motd"].Mode & 0b111_111_111, readBack.Stats["/etc/matrix/motd"].Uid, readBack.Stats["/etc/matrix/motd"].Gid));
        Assert.Equal(GuestMatrixRun.FromFileContent, files["/etc/matrix/from-file"]);
        Assert.Equal(GuestMatrixRun.Base64Text, files["/usr/local/bin/matrix-hello"]);
        Assert.Equal(0b111_101_101, readBack.Stats["/usr/local/bin/matrix-hello"].Mode & 0b111_111_111);

        // first boot: unit enabled, the command in its script
        Assert.NotNull(files["/etc/systemd/system/imprint-firstboot.service"]);
        Assert.Contains(GuestMatrixRun.FirstBootCommand, files["/usr/local/lib/imprint/firstboot.sh"]);
        Assert.NotNull(readBack.Links["/etc/systemd/system/multi-user.target.wants/imprint-firstboot.service"]);

        // SELinux guests relabel at next boot, as virt-customize arranges
        if (run.Guest.SeLinux)
        {
            Assert.NotNull(files["/.autorelabel"]);
        }

        Assert.Equal("libguestfs", run.Customize.Engine);
    }

    private static GuestReadBack AssertReadBack((GuestReadBack? ReadBack, string? Failure) readBack) =>
        readBack.ReadBack ?? throw new Xunit.Sdk.XunitException($"the read-back through guestfish failed: {readBack.Failure}");

    /// <summary>Parses the read-back's <c>lvm pvs</c> / <c>lvm lvs</c> lines (sizes in bytes).</summary>
    private static (long PvSize, Dictionary<string, long> LvSizes) Lvm(string text)
    {
        long pv = 0;
        var lvs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[0].StartsWith("/dev/", StringComparison.Ordinal))
            {
                pv = long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            else if (fields.Length == 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                lvs[fields[0]] = size;
            }
        }

        return (pv, lvs);
    }
}
