using System.Text;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

public sealed class ExtFileSystemTests
{
    public static TheoryData<string, int, bool, bool> Variants => new()
    {
        { "ext4", 4096, true, true },
        { "ext4", 4096, false, false },
        { "ext4", 1024, true, false },
        { "ext4", 1024, false, true },
        { "ext3", 4096, false, false },
        { "ext3", 1024, false, false },
        { "ext2", 4096, false, false },
        { "ext2", 1024, false, false },
    };

    [Fact]
    public async Task Reads_files_stats_and_listings_that_match_debugfs()
    {
        using var image = new ExtTestImage();
        var fs = image.Open();

        Assert.Equal(image.Cat("/etc/hostname"), Encoding.UTF8.GetString(await fs.ReadFileAsync("/etc/hostname")));
        Assert.Null(await fs.TryReadTextAsync("/etc/nope"));

        var sudo = await fs.StatAsync("/usr/bin/sudo");
        Assert.NotNull(sudo);
        Assert.Equal((GuestFileKind.File, 0b100_111_101_101), (sudo.Kind, sudo.Mode));
        Assert.Equal(image.Stat("/usr/bin/sudo").Mode, sudo.Mode);

        var tmp = await fs.StatAsync("/tmp");
        Assert.Equal((GuestFileKind.Directory, 0b001_111_111_111), (tmp!.Kind, tmp.Mode));

        var profile = await fs.StatAsync("/home/debian/.profile");
        Assert.Equal((1000u, 1000u, 0b110_100_000, 10L), (profile!.Uid, profile.Gid, profile.Mode, profile.Size));

        var link = await fs.StatAsync("/lib", followSymlinks: false);
        Assert.Equal((GuestFileKind.Symlink, "usr/lib"), (link!.Kind, link.SymlinkTarget));
        var followed = await fs.StatAsync("/lib/os-release");
        Assert.Equal("/usr/lib/os-release", followed!.Path);

        var ssh = await fs.ListDirectoryAsync("/etc/ssh");
        Assert.Equal(
            ["ssh_host_ed25519_key", "ssh_host_ed25519_key.pub", "ssh_host_rsa_key", "ssh_host_rsa_key.pub", "sshd_config.d"],
            ssh.Select(e => e.Name));
        Assert.Equal(GuestFileKind.Directory, ssh.Single(e => e.Name == "sshd_config.d").Kind);
        Assert.Equal(0b110_000_000, ssh.Single(e => e.Name == "ssh_host_rsa_key").Mode);
        Assert.True(await fs.ExistsAsync("/etc/dir with space/file name"));
        Assert.False(await fs.ExistsAsync("/etc/resolv-dangling"));
        Assert.NotNull(await fs.StatAsync("/etc/resolv-dangling", followSymlinks: false));
    }

    [Fact]
    public async Task Listing_leaves_out_removed_entries_that_debugfs_still_prints()
    {
        // Removing every file of a multi-block directory leaves each block's head entry with inode 0; debugfs "ls -p"
        // prints it (/0/000000/...), and a second seal used to plan "rm" for it and fail with exit 7.
        using var image = new ExtTestImage();
        var names = Enumerable.Range(0, 400).Select(i => $"/var/log/app{i}.log").ToList();
        using (var fs = image.Open())
        {
            var batch = new GuestEditBatch();
            foreach (var name in names)
            {
                batch.WriteText(name, new string('x', 100));
            }

            await fs.ApplyAsync(batch);
        }

        Sh.RunResult("debugfs", ["-w", "-f", "-", image.Target], stdin: string.Concat(names.Select(n => $"rm {n}\n")));
        Assert.Contains("/0/000000/", image.Debugfs("ls -p /var/log"), StringComparison.Ordinal);

        using var reopened = image.Open();
        var listing = await reopened.ListDirectoryAsync("/var/log");

        Assert.DoesNotContain(listing, e => e.Inode == 0 || e.Name.StartsWith("app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reads_many_files_in_one_call_and_maps_missing_ones_to_null()
    {
        using var image = new ExtTestImage();
        var files = await image.Open().ReadFilesAsync(["/etc/hostname", "/etc/os-release", "/lib/os-release", "/etc/missing", "/nodir/x"]);

        Assert.Equal("golden\n", Encoding.UTF8.GetString(files["/etc/hostname"]!));
        Assert.Equal(image.Cat("/etc/os-release"), Encoding.UTF8.GetString(files["/etc/os-release"]!));
        Assert.Equal("ID=debian\n", Encoding.UTF8.GetString(files["/lib/os-release"]!));
        Assert.Null(files["/etc/missing"]);
        Assert.Null(files["/nodir/x"]);
    }

    [Fact]
    public async Task Symlinks_escaping_the_root_resolve_inside_the_guest()
    {
        using var image = new ExtTestImage();
        var fs = image.Open();

        Assert.Equal("/etc/host", await fs.ResolvePathAsync("/etc/escape"));
        Assert.Equal("/etc/host", await fs.ResolvePathAsync("/etc/relative-escape"));
        Assert.Equal("/etc/host", await fs.ResolvePathAsync("/../../etc/./host"));
        Assert.Equal("inside the guest\n", await fs.TryReadTextAsync("/etc/escape"));

        // A target longer than 60 bytes lives in a data block ("slow" symlink) and still resolves.
        Assert.Equal("/usr/lib/os-release", await fs.ResolvePathAsync("/etc/long-link"));
        // /etc/mtab -> /proc/self/mounts: /proc is empty offline, so the directories on the way are missing.
        var error = await Assert.ThrowsAsync<ImprintException>(() => fs.ResolvePathAsync("/etc/mtab"));
        Assert.Equal(ExitCode.NotFound, error.Code);
    }

    [Fact]
    public async Task Symlink_loops_fail_with_a_clear_error()
    {
        using var image = new ExtTestImage();
        var fs = image.Open();

        var error = await Assert.ThrowsAsync<ImprintException>(() => fs.ReadFileAsync("/etc/loop-a"));
        Assert.Contains("too many levels of symbolic links", error.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/loop-a", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Equal(GuestFileKind.Symlink, (await fs.StatAsync("/etc/loop-a", followSymlinks: false))!.Kind);
    }

    [Theory]
    [InlineData("/var/log/*.log", "/var/log/alternatives.log|/var/log/dpkg.log")]
    [InlineData("/var/log/.*.log", "/var/log/.hidden.log")]
    [InlineData("/root/.*history", "/root/.bash_history|/root/.python_history")]
    [InlineData("/etc/ssh/ssh_host_*", "/etc/ssh/ssh_host_ed25519_key|/etc/ssh/ssh_host_ed25519_key.pub|/etc/ssh/ssh_host_rsa_key|/etc/ssh/ssh_host_rsa_key.pub")]
    [InlineData("/var/cache/apt/archives/*.deb", "/var/cache/apt/archives/a_1.0_amd64.deb|/var/cache/apt/archives/b_2.0_amd64.deb")]
    [InlineData("/var/cache/apt/archives/[!a]_?.0_*", "/var/cache/apt/archives/b_2.0_amd64.deb")]
    [InlineData("/var/lib/dhcp/*", "/var/lib/dhcp/dhclient.eth0.leases|/var/lib/dhcp/sub")]
    [InlineData("/var/**/*.leases", "/var/lib/dhcp/dhclient.eth0.leases|/var/lib/dhcp/sub/nested.leases")]
    [InlineData("/lib/os-*", "/lib/os-release")]
    [InlineData("/etc/dir with space/*", "/etc/dir with space/file name")]
    [InlineData("/var/log/*.nothing", "")]
    public async Task Globs_match_like_the_shell(string pattern, string expected)
    {
        using var image = new ExtTestImage();

        var matches = await image.Open().GlobAsync(pattern);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), matches);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Edits_read_back_with_debugfs_keep_the_filesystem_clean_and_repeat_as_no_ops(string fsType, int blockSize, bool metadataCsum, bool bit64)
    {
        using var image = new ExtTestImage(fsType, blockSize, metadataCsum, bit64);
        var fs = image.Open();
        var big = Enumerable.Range(0, 3 * blockSize + 17).Select(i => (byte)(i * 7)).ToArray();
        GuestEditBatch Batch() => new GuestEditBatch()
            .WriteText("/etc/hostname", "clone-1\n")
            .WriteText("/home/debian/.profile", "# new profile\n")
            .WriteFile("/etc/new-file", big, mode: 0b110_000_000, uid: 1000, gid: 1000)
            .MkdirP("/opt/app/conf", 0b111_101_000, 1000, 1000)
            .WriteText("/opt/app/conf/app.ini", "[app]\n")
            .Symlink("/etc/localtime", "/usr/share/zoneinfo/UTC")
            .DeleteGlob("/var/log/*.log")
            .Delete("/root/.bash_history")
            .Truncate("/etc/machine-id")
            .Chmod("/usr/bin/sudo", 0b111_101_101)
            .Chown("/etc/host", 1000, 1000)
            .EmptyDirectory("/var/lib/dhcp")
            .DeleteTree("/var/cache/apt")
            .WriteText("/etc/dir with space/file name", "x y\n");

        var machineId = image.Stat("/etc/machine-id");
        var changes = await fs.ApplyAsync(Batch());

        image.AssertFsckClean();
        Assert.Equal("clone-1\n", image.Cat("/etc/hostname"));
        Assert.Equal((0b110_100_100, 0u, 0u, "regular"), image.Stat("/etc/hostname"));
        Assert.Equal("# new profile\n", image.Cat("/home/debian/.profile"));
        Assert.Equal((0b110_100_000, 1000u, 1000u, "regular"), image.Stat("/home/debian/.profile"));
        Assert.Equal(big, (await fs.ReadFileAsync("/etc/new-file")));
        Assert.Equal(big, image.Dump("/etc/new-file"));
        Assert.Equal((0b110_000_000, 1000u, 1000u, "regular"), image.Stat("/etc/new-file"));
        Assert.Equal((0b111_101_101, 0u, 0u, "directory"), image.Stat("/opt"));
        Assert.Equal((0b111_101_000, 1000u, 1000u, "directory"), image.Stat("/opt/app/conf"));
        Assert.Equal("[app]\n", image.Cat("/opt/app/conf/app.ini"));
        Assert.Contains("Fast link dest: \"/usr/share/zoneinfo/UTC\"", image.Debugfs("stat /etc/localtime"), StringComparison.Ordinal);
        Assert.False(image.Exists("/var/log/dpkg.log"));
        Assert.False(image.Exists("/var/log/alternatives.log"));
        Assert.True(image.Exists("/var/log/.hidden.log"));
        Assert.True(image.Exists("/var/log/syslog"));
        Assert.False(image.Exists("/root/.bash_history"));
        Assert.Equal(string.Empty, image.Cat("/etc/machine-id"));
        Assert.Equal(machineId, image.Stat("/etc/machine-id"));
        Assert.Equal(0b111_101_101, image.Stat("/usr/bin/sudo").Mode);
        Assert.Equal((1000u, 1000u), (image.Stat("/etc/host").Uid, image.Stat("/etc/host").Gid));
        Assert.True(image.Exists("/var/lib/dhcp"));
        Assert.Equal([], await fs.ListDirectoryAsync("/var/lib/dhcp"));
        Assert.False(image.Exists("/var/cache/apt"));
        Assert.True(image.Exists("/var/cache"));
        Assert.Equal("x y\n", image.Cat("/etc/dir with space/file name"));

        Assert.Contains(changes, c => c is { Operation: GuestEditOperationKind.WriteFile, Path: "/etc/hostname", Action: GuestChangeAction.Overwritten });
        Assert.Contains(changes, c => c is { Operation: GuestEditOperationKind.WriteFile, Path: "/etc/new-file", Action: GuestChangeAction.Created });
        Assert.Contains(changes, c => c is { Operation: GuestEditOperationKind.Truncate, Path: "/etc/machine-id", Action: GuestChangeAction.Truncated });
        Assert.Contains(changes, c => c is { Operation: GuestEditOperationKind.DeleteGlob, Path: "/var/log/dpkg.log", Action: GuestChangeAction.Deleted });
        Assert.Contains(changes, c => c is { Operation: GuestEditOperationKind.DeleteTree, Path: "/var/cache/apt", Action: GuestChangeAction.Deleted, Detail: "5 entries" });
        Assert.Equal(["/opt", "/opt/app", "/opt/app/conf"], changes.Where(c => c.Operation == GuestEditOperationKind.MkdirP).Select(c => c.Path));

        // The same customization again changes nothing, down to the last byte of the image.
        var before = Sh.Sha256(image.Image);
        var again = await image.Open().ApplyAsync(Batch());
        Assert.All(again, c => Assert.False(c.IsChange, $"{c} should be a no-op"));
        Assert.Equal(before, Sh.Sha256(image.Image));
    }

    [Fact]
    public async Task Overwrite_keeps_mode_owner_and_extended_attributes()
    {
        using var image = new ExtTestImage();
        image.Debugfs("ea_set /etc/hostname security.selinux system_u:object_r:etc_t:s0", writable: true);
        image.Debugfs("sif /etc/hostname uid 42", writable: true);
        image.Debugfs("sif /etc/hostname mode 0100640", writable: true);

        await image.Open().ApplyAsync(new GuestEditBatch().WriteText("/etc/hostname", "renamed\n"));

        image.AssertFsckClean();
        Assert.Equal("renamed\n", image.Cat("/etc/hostname"));
        Assert.Equal((0b110_100_000, 42u, 0u, "regular"), image.Stat("/etc/hostname"));
        Assert.Contains("system_u:object_r:etc_t:s0", image.Debugfs("ea_get /etc/hostname security.selinux"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_resolve_parent_symlinks_inside_the_guest()
    {
        using var image = new ExtTestImage();
        var fs = image.Open();

        var changes = await fs.ApplyAsync(new GuestEditBatch()
            .WriteText("/lib/new.conf", "via /lib\n")
            .WriteText("/etc/escape", "through an escaping link\n")
            .WriteText("/etc/resolv-dangling", "nameserver 10.0.0.2\n"));

        image.AssertFsckClean();
        Assert.Equal("via /lib\n", image.Cat("/usr/lib/new.conf"));
        Assert.Equal("through an escaping link\n", image.Cat("/etc/host"));
        Assert.Equal("regular", image.Stat("/etc/resolv-dangling").Type);
        Assert.Equal("nameserver 10.0.0.2\n", image.Cat("/etc/resolv-dangling"));
        Assert.Equal(["/usr/lib/new.conf", "/etc/host", "/etc/resolv-dangling"], changes.Select(c => c.Path));
        Assert.Equal("replaced a dangling symlink", changes[2].Detail);
    }

    [Fact]
    public async Task Later_operations_in_a_batch_see_earlier_ones()
    {
        using var image = new ExtTestImage();

        await image.Open().ApplyAsync(new GuestEditBatch()
            .DeleteTree("/var/lib/dhcp")
            .MkdirP("/var/lib/dhcp/fresh")
            .WriteText("/var/lib/dhcp/fresh/a", "1\n")
            .WriteText("/var/lib/dhcp/fresh/a", "2\n")
            .Chmod("/var/lib/dhcp/fresh/a", 0b110_000_000)
            .Symlink("/var/lib/dhcp/link", "fresh/a")
            .Symlink("/var/lib/dhcp/link", "fresh"));

        image.AssertFsckClean();
        Assert.False(image.Exists("/var/lib/dhcp/dhclient.eth0.leases"));
        Assert.Equal("2\n", image.Cat("/var/lib/dhcp/fresh/a"));
        Assert.Equal(0b110_000_000, image.Stat("/var/lib/dhcp/fresh/a").Mode);
        Assert.Contains("Fast link dest: \"fresh\"", image.Debugfs("stat /var/lib/dhcp/link"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing parent")]
    [InlineData("delete a directory")]
    [InlineData("mkdir over a file")]
    [InlineData("chmod a missing file")]
    [InlineData("write over a directory")]
    public async Task An_invalid_batch_writes_nothing(string problem)
    {
        using var image = new ExtTestImage();
        var batch = new GuestEditBatch().WriteText("/etc/hostname", "first op is fine\n").Delete("/etc/machine-id");
        _ = problem switch
        {
            "missing parent" => batch.WriteText("/no/such/dir/file", "x"),
            "delete a directory" => batch.Delete("/etc/ssh"),
            "mkdir over a file" => batch.MkdirP("/etc/hostname/sub"),
            "chmod a missing file" => batch.Chmod("/etc/absent", 0b110_100_100),
            _ => batch.WriteText("/etc/ssh", "x"),
        };
        var before = Sh.Sha256(image.Image);

        var error = await Assert.ThrowsAsync<ImprintException>(() => image.Open().ApplyAsync(batch));

        Assert.Equal(before, Sh.Sha256(image.Image));
        Assert.Contains(problem switch
        {
            "missing parent" => "/no/such/dir/file",
            "delete a directory" => "/etc/ssh",
            "mkdir over a file" => "/etc/hostname",
            "chmod a missing file" => "/etc/absent",
            _ => "/etc/ssh",
        }, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/etc/../etc/passwd")]
    [InlineData("/etc/new\nline")]
    [InlineData("/")]
    public void Batch_rejects_paths_that_are_not_absolute_and_normalised(string path)
    {
        var error = Assert.Throws<ImprintException>(() => new GuestEditBatch().WriteText(path, "x"));

        Assert.Equal(ExitCode.Usage, error.Code);
    }

    [Fact]
    public async Task Plan_lists_changes_without_writing()
    {
        using var image = new ExtTestImage();
        var before = Sh.Sha256(image.Image);

        var changes = await image.Open().PlanAsync(new GuestEditBatch().WriteText("/etc/hostname", "x\n").WriteText("/etc/hostname", "x\n").DeleteGlob("/etc/ssh/ssh_host_*"));

        Assert.Equal(before, Sh.Sha256(image.Image));
        Assert.Equal(
            ["WriteFile /etc/hostname Overwritten", "WriteFile /etc/hostname Unchanged", "DeleteGlob /etc/ssh/ssh_host_ed25519_key Deleted", "DeleteGlob /etc/ssh/ssh_host_ed25519_key.pub Deleted", "DeleteGlob /etc/ssh/ssh_host_rsa_key Deleted", "DeleteGlob /etc/ssh/ssh_host_rsa_key.pub Deleted"],
            changes.Select(c => $"{c.Operation} {c.Path} {c.Action}"));
    }

    [Fact]
    public async Task A_debugfs_failure_names_the_failing_operation()
    {
        using var image = new ExtTestImage(partitionMiB: 8, diskMiB: 16);

        var error = await Assert.ThrowsAsync<ImprintException>(() => image.Open().ApplyAsync(new GuestEditBatch()
            .WriteText("/etc/hostname", "ok\n")
            .WriteFile("/var/too-big", Enumerable.Repeat((byte)0xAB, 12 * 1024 * 1024).ToArray())));

        Assert.Equal(ExitCode.ToolFailed, error.Code);
        Assert.Contains("WriteFile '/var/too-big'", error.Message, StringComparison.Ordinal);
        Assert.Contains("write ", error.Message, StringComparison.Ordinal);
    }
}
