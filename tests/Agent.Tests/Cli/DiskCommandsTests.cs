using Imprint.Agent.Cli;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>The inspect / clone / resize / seal / customize commands end to end on real images, as a user runs them.</summary>
public sealed class DiskCommandsTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string[]> FilesystemVariants => new()
    {
        { "ext4", [] },
        { "ext4", ["-b", "1024"] },
        { "ext4", ["-O", "^metadata_csum"] },
        { "ext4", ["-O", "^64bit"] },
        { "ext3", [] },
        { "ext2", ["-b", "1024"] },
        { "ext2", ["-b", "4096"] },
    };

    [Theory]
    [MemberData(nameof(FilesystemVariants))]
    public async Task Clone_grows_gpt_root_last_for_every_ext_variant_and_never_writes_the_source(string fsType, string[] options)
    {
        var source = _temp.File("golden.raw");
        TestDisks.CreateGpt(source, 48, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var offset = TestDisks.MakeExt(source, 2, fsType, GuestTrees.DebianLike(_temp.File("tree")), options);
        var hash = Sh.Sha256(source);
        var target = _temp.File("clone.raw");

        var (exit, result) = await RunJsonAsync("clone", source, target, "--size", "200M");

        Assert.Equal(0, exit);
        Assert.Equal(hash, Sh.Sha256(source));
        Assert.Equal(200 * MiB, new FileInfo(target).Length);
        Sh.AssertGptValid(target);
        Sh.AssertFsckClean(target, offset);
        Assert.Equal("golden\n", Sh.DebugfsCat(target, offset, "/etc/hostname"));
        Assert.Equal("boot log\n", Sh.DebugfsCat(target, offset, "/var/log/syslog"));
        Assert.Equal(GrowthOracle.AssertFillsDisk(target, 2, gpt: true), result.Resize!.NewFilesystemSize);
        Assert.Equal(fsType, result.Resize.Filesystem);
    }

    [Fact]
    public async Task Clone_grows_an_mbr_root_partition()
    {
        var source = _temp.File("mbr.raw");
        TestDisks.CreateMbr(source, 48, (0, "83"));
        var offset = TestDisks.MakeExt(source, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var target = _temp.File("clone.raw");

        var (exit, result) = await RunJsonAsync("clone", source, target, "--size", "128M");

        Assert.Equal(0, exit);
        Assert.Equal(0, Sh.RunResult("sfdisk", ["--verify", target], accept: [0, 1]).ExitStatus);
        Sh.AssertFsckClean(target, offset);
        Assert.Equal(128 * MiB, TestDisks.PartitionRange(target, 1).Offset + TestDisks.PartitionRange(target, 1).Length);
        Assert.Equal(GrowthOracle.AssertFillsDisk(target, 1, gpt: false), result.Resize!.NewFilesystemSize);
        Assert.Equal("mbr", (await RunJsonAsync("inspect", target)).Result.Disk!.PartitionTable);
        Assert.Equal(1, result.Resize!.Partition);
    }

    [Fact]
    public async Task Separate_boot_partition_is_mapped_from_fstab_and_root_is_the_one_grown()
    {
        var source = _temp.File("boot.raw");
        TestDisks.CreateGpt(source, 64, new PartitionSpec(16, "8300", "boot"), new PartitionSpec(0, "8300", "root"));
        var bootTree = _temp.File("boot-tree");
        GuestTrees.Write(bootTree, "vmlinuz", "kernel\n");
        TestDisks.MakeExt(source, 1, "ext2", bootTree, "-L", "BOOT");
        var rootTree = GuestTrees.DebianLike(_temp.File("root-tree"));
        GuestTrees.Write(rootTree, "etc/fstab", "LABEL=BOOT /boot ext2 defaults 0 2\nPARTLABEL=root / ext4 defaults 0 1\n");
        var offset = TestDisks.MakeExt(source, 2, "ext4", rootTree);

        var inspect = (await RunJsonAsync("inspect", source)).Result;
        var (exit, clone) = await RunJsonAsync("clone", source, _temp.File("clone.raw"), "--size", "96M");

        Assert.Equal(2, inspect.Guest!.RootPartition);
        Assert.Contains(inspect.Guest.Mounts!, m => m is { MountPoint: "/boot", Partition: 1 });
        Assert.Contains(inspect.Guest.Mounts!, m => m is { MountPoint: "/", Partition: 2 });
        Assert.Equal(0, exit);
        Assert.Equal(2, clone.Resize!.Partition);
        GrowthOracle.AssertFillsDisk(_temp.File("clone.raw"), 2, gpt: true);
        Sh.AssertFsckClean(_temp.File("clone.raw"), offset);
        Sh.AssertFsckClean(_temp.File("clone.raw"), TestDisks.PartitionRange(_temp.File("clone.raw"), 1).Offset);
    }

    [Fact]
    public async Task Root_followed_by_swap_cannot_grow_and_the_half_made_clone_is_removed()
    {
        var source = _temp.File("swap.raw");
        TestDisks.CreateGpt(source, 64, new PartitionSpec(40), new PartitionSpec(0, "8200"));
        TestDisks.MakeExt(source, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var target = _temp.File("clone.raw");

        var (exit, result) = await RunJsonAsync("clone", source, target, "--size", "128M");

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains("followed by partition 2", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Resize_in_place_grows_file_partition_and_filesystem()
    {
        var disk = _temp.File("disk.raw");
        TestDisks.CreateGpt(disk, 48, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));

        var (exit, result) = await RunJsonAsync("resize", disk, "--size", "1G");

        Assert.Equal(0, exit);
        Assert.Equal(1L << 30, new FileInfo(disk).Length);
        Assert.Equal(GrowthOracle.AssertFillsDisk(disk, 1, gpt: true), result.Resize!.NewFilesystemSize);
        Assert.True(result.Resize!.BackupGptMoved);
        Assert.Equal("e2fsprogs", result.Engine);
        Sh.AssertGptValid(disk);
        Sh.AssertFsckClean(disk, offset);
        Assert.Equal("golden\n", Sh.DebugfsCat(disk, offset, "/etc/hostname"));
    }

    [Fact]
    public async Task Seal_then_customize_through_the_cli_with_a_spec_file()
    {
        var disk = _temp.File("disk.raw");
        TestDisks.CreateGpt(disk, 48, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(disk, 1, tree: GuestFlavors.Debian(_temp.File("tree")));
        await File.WriteAllTextAsync(_temp.File("spec.yaml"), "hostname: cli-01\ntimezone: UTC\n");

        var (sealExit, seal) = await RunJsonAsync("seal", disk);
        var (exit, customize) = await RunJsonAsync("customize", disk, "--spec", _temp.File("spec.yaml"));

        Assert.Equal(0, sealExit);
        Assert.Equal(("e2fsprogs", "e2fsprogs"), (seal.Engine, customize.Engine));
        Assert.Contains(seal.Changes!, c => c.Operation == "ssh-hostkeys");
        Assert.Equal(0, exit);
        Assert.Equal("cli-01\n", Sh.DebugfsCat(disk, offset, "/etc/hostname"));
        Assert.Equal(3, customize.SshHostKeys!.Count); // sealing removed the keys: the usual three are made
        Assert.Matches("^[0-9a-f]{32}$", customize.MachineId);
        Sh.AssertFsckClean(disk, offset);
    }

    [Fact]
    public async Task Clone_with_seal_seals_customizes_and_grows_in_one_pass_and_the_golden_is_untouched()
    {
        var golden = _temp.File("golden.raw");
        TestDisks.CreateGpt(golden, 48, new PartitionSpec(0));
        var goldenOffset = TestDisks.MakeExt(golden, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var hash = Sh.Sha256(golden);
        var target = _temp.File("clone.raw");

        var (exit, clone) = await RunJsonAsync("clone", golden, target, "--size", "96M", "--seal", "--seal-operations", "-bash-history", "--hostname", "one-pass");

        Assert.Equal(0, exit);
        Assert.Equal(hash, Sh.Sha256(golden));
        Assert.Equal("0123456789abcdef0123456789abcdef\n", Sh.DebugfsCat(golden, goldenOffset, "/etc/machine-id"));
        var offset = TestDisks.PartitionRange(target, 1).Offset;
        Sh.AssertFsckClean(target, offset);
        Sh.AssertGptValid(target);
        Assert.Equal(96 * MiB, new FileInfo(target).Length);
        // Seal's changes come first, then the customization's: the old keys are deleted, new ones written.
        var keyChanges = clone.Changes!.Where(c => c.Path == "/etc/ssh/ssh_host_rsa_key").Select(c => $"{c.Operation} {c.Action}").ToList();
        Assert.True(keyChanges is ["ssh-hostkeys deleted", _, ..] && !keyChanges[^1].EndsWith(" deleted", StringComparison.Ordinal), $"changes of the RSA host key: {string.Join(", ", keyChanges)}");
        Assert.Contains("File not found", Sh.RunResult("debugfs", ["-R", "stat /var/log/syslog", $"{target}?offset={offset}"]).StandardError, StringComparison.Ordinal);
        Assert.Equal("ls\n", Sh.DebugfsCat(target, offset, "/root/.bash_history")); // dropped from the operations
        Assert.Equal("one-pass\n", Sh.DebugfsCat(target, offset, "/etc/hostname"));
        Assert.Matches("^[0-9a-f]{32}$", clone.MachineId);
        Assert.Equal(clone.MachineId + "\n", Sh.DebugfsCat(target, offset, "/etc/machine-id"));
        Assert.DoesNotContain("golden", Sh.DebugfsCat(target, offset, "/etc/ssh/ssh_host_ed25519_key.pub"), StringComparison.Ordinal);
        Assert.Contains(clone.SshHostKeys!, k => k.Type == "ed25519");
    }

    [Fact]
    public async Task Seal_operations_without_seal_is_a_usage_error_before_anything_is_written()
    {
        var disk = _temp.File("disk.raw");
        TestDisks.CreateGpt(disk, 48, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var hash = Sh.Sha256(disk);

        var (exit, result) = await RunJsonAsync("customize", disk, "--hostname", "x", "--seal-operations", "logfiles");

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Equal("--seal-operations needs --seal", result.Error);
        Assert.Equal(hash, Sh.Sha256(disk));
    }

    [Fact]
    public async Task Seal_lists_its_operations()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ImprintCli.RunAsync(["seal", "--list-operations"], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Contains("machine-id", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("* ", stdout.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, ExitCode, string> BadSources => new()
    {
        { "zero-size", ExitCode.InvalidImage, "empty" },
        { "truncated", ExitCode.InvalidImage, "truncated" },
        { "bad-crc", ExitCode.InvalidImage, "both GPT copies" },
        { "no-filesystem", ExitCode.Unsupported, "no filesystem Imprint recognises" },
        { "missing", ExitCode.NotFound, "does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadSources))]
    public async Task Bad_sources_fail_clearly_leave_no_target_and_are_never_written(string kind, ExitCode code, string message)
    {
        var source = _temp.File($"{kind}.raw");
        switch (kind)
        {
            case "zero-size":
                File.WriteAllBytes(source, []);
                break;
            case "truncated":
                TestDisks.CreateGpt(source, 64, new PartitionSpec(0));
                using (var s = new FileStream(source, FileMode.Open))
                {
                    s.SetLength(30 * MiB);
                }

                break;
            case "bad-crc":
                TestDisks.CreateGpt(source, 32, new PartitionSpec(0));
                Partitions.PartitionTestImages.FlipByte(source, 512 + 40);
                Partitions.PartitionTestImages.FlipByte(source, (32 * MiB) - 512 + 40);
                break;
            case "no-filesystem":
                TestDisks.CreateGpt(source, 32, new PartitionSpec(0));
                break;
            default:
                break;
        }

        var hash = File.Exists(source) ? Sh.Sha256(source) : null;
        var target = _temp.File("clone.raw");

        var (exit, result) = await RunJsonAsync("clone", source, target, "--size", "64M");

        Assert.Equal((int)code, exit);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.Equal(hash, File.Exists(source) ? Sh.Sha256(source) : null);
    }

    [Fact]
    public async Task Target_smaller_than_source_is_refused_before_copying()
    {
        var source = _temp.File("golden.raw");
        TestDisks.CreateGpt(source, 64, new PartitionSpec(0));

        var (exit, result) = await RunJsonAsync("clone", source, _temp.File("clone.raw"), "--size", "32M");

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains("smaller than the source", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("clone.raw")));
    }

    [Fact]
    public async Task Target_that_is_the_source_is_refused_and_the_source_kept()
    {
        var source = _temp.File("golden.raw");
        TestDisks.CreateGpt(source, 32, new PartitionSpec(0));
        var hash = Sh.Sha256(source);

        var (exit, result) = await RunJsonAsync("clone", source, source);

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("is the source itself", result.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(source));
    }

    [Fact]
    public async Task Read_only_disk_cannot_be_resized_or_sealed()
    {
        var disk = _temp.File("ro.raw");
        TestDisks.CreateGpt(disk, 32, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        File.SetUnixFileMode(disk, UnixFileMode.UserRead);
        var hash = Sh.Sha256(disk);

        var (resizeExit, resize) = await RunJsonAsync("resize", disk, "--size", "64M");
        var (sealExit, _) = await RunJsonAsync("seal", disk);

        Assert.Equal((int)ExitCode.NotWritable, resizeExit);
        Assert.Contains("read-only", resize.Error, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotWritable, sealExit);
        Assert.Equal(hash, Sh.Sha256(disk));
    }

    [Fact]
    public async Task Read_only_target_location_is_a_clear_error_and_the_source_is_kept()
    {
        // /proc accepts no new files, even from root: a target nobody can create.
        var source = _temp.File("golden.raw");
        TestDisks.CreateGpt(source, 32, new PartitionSpec(0));
        var hash = Sh.Sha256(source);

        var (exit, result) = await RunJsonAsync("clone", source, "/proc/imprint-clone-target.raw");

        Assert.Equal((int)ExitCode.NotWritable, exit);
        Assert.Contains("/proc/imprint-clone-target.raw", result.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(source));
    }

    [Fact]
    public async Task Shrinking_is_refused()
    {
        var disk = _temp.File("disk.raw");
        TestDisks.CreateGpt(disk, 64, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1);

        var (exit, result) = await RunJsonAsync("resize", disk, "--size", "32M");

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains("shrinking", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, AgentResult Result)> RunJsonAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ImprintCli.RunAsync([.. args, "--json"], stdout, stderr);
        return (exit, ResultWriter.Deserialize(stdout.ToString()));
    }
}
