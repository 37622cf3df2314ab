using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Support;
using Xunit.Abstractions;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>
/// The libguestfs engine on an xfs guest: inspection, dry run, seal, customize, failing batches and grow in one
/// appliance launch (<see cref="OneLaunchRockyRun"/>), each checked against independent oracles: a separate guestfish
/// read-back, xfs_repair -n on the extracted root, e2fsck -fn on /boot and sgdisk -v.
/// </summary>
public sealed class ApplianceGuestFileSystemTests(OneLaunchRockyRun run, ITestOutputHelper output) : IClassFixture<OneLaunchRockyRun>
{
    [Fact]
    public void Mounts_the_xfs_root_and_the_guests_boot_partition_from_its_fstab()
    {
        Assert.Equal("/dev/sda2", run.Mounts.RootMountable);
        Assert.Equal("xfs", run.Mounts.RootFileSystemType);
        Assert.Null(run.Mounts.LogicalVolume);
        Assert.Equal([new("/", "/dev/sda2"), new("/boot", "/dev/sda1")], run.Mounts.Mounted);
        Assert.Empty(run.Mounts.Warnings);
    }

    [Fact]
    public void Inspection_through_the_engine_reads_the_same_facts_as_for_ext_guests()
    {
        Assert.True(run.LooksLikeRoot);
        Assert.Equal("rocky", run.Facts.Distro);
        Assert.Equal("9.4", run.Facts.Version);
        Assert.Equal(GuestFamily.RedHat, run.Facts.Family);
        Assert.Equal("x86_64", run.Facts.Arch);
        Assert.Equal("golden", run.Facts.Hostname);
        Assert.Equal("systemd", run.Facts.InitSystem);
        Assert.Equal("rpm", run.Facts.PackageFormat);
        Assert.Equal("networkmanager", run.Facts.NetworkStyle);
    }

    [Fact]
    public void A_dry_run_reports_the_changes_and_writes_nothing()
    {
        Assert.Equal(
            [
                (GuestEditOperationKind.WriteFile, "/etc/hostname", GuestChangeAction.Overwritten),
                (GuestEditOperationKind.MkdirP, "/etc/motd.d", GuestChangeAction.Created),
                (GuestEditOperationKind.WriteFile, "/etc/motd.d/imprint", GuestChangeAction.Created),
                (GuestEditOperationKind.Symlink, "/etc/imprint-link", GuestChangeAction.Created),
                (GuestEditOperationKind.MkdirP, "/opt", GuestChangeAction.Created),
                (GuestEditOperationKind.MkdirP, "/opt/imprint", GuestChangeAction.Created),
                (GuestEditOperationKind.MkdirP, "/opt/imprint/cache", GuestChangeAction.Created),
                (GuestEditOperationKind.Chmod, "/etc/motd.d", GuestChangeAction.Unchanged),
                (GuestEditOperationKind.Chown, "/etc/motd.d", GuestChangeAction.Modified),
            ],
            run.DryRun.Select(c => (c.Operation, c.Path, c.Action)));
        Assert.Equal("golden\n", run.HostnameAfterDryRun);
        Assert.Equal(run.DryRun, run.CustomizeChanges); // the plan is what the apply did
    }

    [Fact]
    public void Sealing_removes_host_keys_logs_history_and_nm_keyfiles_and_empties_machine_id()
    {
        var deleted = run.SealChanges.Where(c => c.Action == GuestChangeAction.Deleted).Select(c => c.Path).ToList();
        Assert.Contains("/etc/ssh/ssh_host_ed25519_key", deleted);
        Assert.Contains("/var/log/messages", deleted);
        Assert.Contains("/root/.bash_history", deleted);
        Assert.Contains(run.SealChanges, c => c is { Path: "/etc/machine-id", Action: GuestChangeAction.Truncated });

        // Read back by guestfish in its own launch.
        Assert.Equal("0", run.Section("machine-id"));
        Assert.Equal(string.Empty, run.Section("ssh"));
        Assert.Equal("false", run.Section("logs"));
        Assert.Equal("false", run.Section("history"));
        Assert.Equal(string.Empty, run.Section("nm")); // net-nmconn: the MAC-bound keyfile is gone
        Assert.Equal("# grub", run.Section("boot")); // /boot was mounted, not harmed
    }

    [Fact]
    public void Customizing_writes_files_with_mode_and_owner_symlinks_and_folders_and_a_rerun_changes_nothing()
    {
        Assert.Equal("clone-1", run.Section("hostname"));
        Assert.Equal("built by imprint", run.Section("motd"));
        var motd = run.Section("motd-stat");
        Assert.Contains("st_mode: 33184", motd, StringComparison.Ordinal); // 0100640
        Assert.Contains("st_uid: 1000", motd, StringComparison.Ordinal);
        Assert.Contains("st_gid: 1000", motd, StringComparison.Ordinal);
        Assert.Equal("motd.d/imprint", run.Section("link"));
        var cache = run.Section("dir");
        Assert.Contains("st_mode: 17896", cache, StringComparison.Ordinal); // 042750: setgid kept, umask not applied
        Assert.Contains("st_uid: 1000", cache, StringComparison.Ordinal);

        Assert.All(run.ReappliedChanges, c => Assert.False(c.IsChange, $"{c.Path} {c.Action} on the second run"));
    }

    [Fact]
    public void A_batch_that_cannot_apply_fails_whole_with_a_clear_error()
    {
        Assert.Equal(ExitCode.NotFound, run.MissingDirectoryError.Code);
        Assert.Contains("/no/such/dir", run.MissingDirectoryError.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Conflict, run.DirectoryConflictError.Code);
        Assert.Contains("/etc/ssh", run.DirectoryConflictError.Message, StringComparison.Ordinal);
        Assert.False(run.ExistsAfterFailedBatches); // their first write never happened
    }

    [Fact]
    public void Grows_xfs_to_fill_the_grown_partition_and_every_checker_is_clean()
    {
        Assert.Equal(GuestEngineName.Libguestfs, run.Grow.Engine);
        Assert.InRange(run.Grow.OldSizeBytes, 350 * TestDisks.MiB, 400 * TestDisks.MiB);
        Assert.InRange(run.Grow.NewSizeBytes, 850 * TestDisks.MiB, 925 * TestDisks.MiB); // partition 2 now ~922 MiB
        Assert.True(run.XfsRepair.ExitStatus == 0, $"xfs_repair -n:\n{run.XfsRepair.StandardOutput}\n{run.XfsRepair.StandardError}");
        Sh.AssertGptValid(run.Image);
        Sh.AssertFsckClean(run.Image, TestDisks.MiB); // /boot
        Assert.Equal("false", run.Section("relabel")); // raw batches: relabelling is the customizer's, not the engine's

        output.WriteLine($"host grow + launch + inspect + dry run + seal + customize x2 + grow + commit: {run.Elapsed.TotalSeconds:F1} s, {run.ApplianceCalls} appliance calls");
    }
}
