using System.Globalization;
using Imprint.Agent.Cli;
using Imprint.Agent.Errors;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Results;
using Imprint.Agent.Tests.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// The failures whose exit codes were wrong (issue 10 §7), each on a real image or a real mount, with the real tool as
/// the oracle that the situation is what the message says it is.
/// </summary>
public sealed class FailureExitCodesTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Zeroed_primary_superblock_is_a_malformed_image_naming_the_backup_dumpe2fs_can_read()
    {
        var disk = _temp.File("zeroed.raw");
        var offset = BadImages.ZeroedSuperblockDisk(disk);

        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);

        Assert.Equal((int)ExitCode.InvalidImage, sealExit);
        Assert.Contains("backup superblock is at block 8193 (1024-byte blocks)", seal.Error, StringComparison.Ordinal);
        Assert.Equal(0, inspectExit);
        Assert.Contains(inspect.Warnings!, w => w.Contains("primary ext superblock is damaged", StringComparison.Ordinal));
        // Oracle: the primary is unreadable to e2fsprogs, and the backup we named is a real superblock.
        Assert.NotEqual(0, Sh.RunResult("dumpe2fs", ["-h", $"{disk}?offset={offset}"], accept: [0, 1, 8]).ExitStatus);
        var backup = Sh.RunResult("dumpe2fs", ["-h", "-o", "superblock=8193", "-o", "blocksize=1024", $"{disk}?offset={offset}"], accept: [0, 1]);
        Assert.Contains("Filesystem magic number:  0xEF53", backup.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_incompat_feature_is_unsupported_and_debugfs_agrees()
    {
        var disk = _temp.File("feature.raw");
        var offset = BadImages.UnknownFeatureDisk(disk);
        var hash = Sh.Sha256(disk);

        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "x");
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");
        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);

        Assert.Equal((int)ExitCode.Unsupported, customizeExit);
        Assert.Contains("FEATURE_I31", customize.Error, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.Unsupported, resizeExit);
        Assert.Contains("FEATURE_I31", resize.Error, StringComparison.Ordinal);
        Assert.Equal(0, inspectExit);
        Assert.Contains(inspect.Warnings!, w => w.Contains("FEATURE_I31", StringComparison.Ordinal));
        Assert.Equal(hash, Sh.Sha256(disk));
        var debugfs = Sh.RunResult("debugfs", ["-R", "stats", $"{disk}?offset={offset}"], accept: [0, 1]);
        Assert.Contains("unsupported feature", debugfs.StandardError, StringComparison.Ordinal);
    }

    [MountFact]
    public async Task Out_of_space_exits_8_for_a_qcow2_source_as_for_a_raw_one_and_leaves_no_partial_file()
    {
        // 40 MiB of random data cannot fit a 24 MiB tmpfs, whichever way it is written.
        var raw = _temp.File("full.raw");
        TestDisks.CreateSparse(raw, 64 * MiB);
        Sh.Run("dd", "if=/dev/urandom", $"of={raw}", "bs=1M", "count=40", "conv=notrunc", "status=none");
        var qcow2 = _temp.File("full.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, qcow2);
        using var mount = ScratchMount.Tmpfs(24);

        var (rawExit, rawResult, _) = await CliRun.JsonAsync("clone", raw, mount.File("a.raw"));
        var (qcowExit, qcowResult, _) = await CliRun.JsonAsync("clone", qcow2, mount.File("b.raw"));
        var (convertExit, convertResult, _) = await CliRun.JsonAsync("convert", qcow2, mount.File("c.raw"));

        Assert.Equal((int)ExitCode.NotWritable, rawExit);
        Assert.Equal((int)ExitCode.NotWritable, qcowExit);
        Assert.Contains("No space left on device", qcowResult.Error, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotWritable, convertExit);
        Assert.Contains("No space left on device", convertResult.Error, StringComparison.Ordinal);
        Assert.Contains("No space left on device", rawResult.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(mount.Path));
    }

    [LoopDeviceFact]
    public async Task Growing_past_the_largest_file_the_filesystem_allows_exits_6_naming_the_limit()
    {
        using var mount = ScratchMount.Ext4With1KiBBlocks();
        var disk = mount.File("disk.raw");
        TestDisks.CreateGpt(disk, 32, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var hash = Sh.Sha256(disk);

        var (resizeExit, resize, resizeErr) = await CliRun.JsonAsync("resize", disk, "--size", "20T");
        var (cloneExit, clone, cloneErr) = await CliRun.JsonAsync("clone", disk, mount.File("clone.raw"), "--size", "20T");

        Assert.Equal((int)ExitCode.Conflict, resizeExit);
        Assert.Equal((int)ExitCode.Conflict, cloneExit);
        BadImages.AssertNoStackTrace(resizeErr + cloneErr);
        Assert.Equal(hash, Sh.Sha256(disk));
        Assert.Equal(32 * MiB, new FileInfo(disk).Length);
        Assert.False(File.Exists(mount.File("clone.raw")) || File.Exists(mount.File("clone.raw.partial")));
        // Oracle: the limit named is exactly where truncate(1) starts failing on that filesystem.
        var limit = long.Parse(System.Text.RegularExpressions.Regex.Match(resize.Error!, @"largest file it allows is (\d+) bytes").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Contains($"largest file it allows is {limit} bytes", clone.Error, StringComparison.Ordinal);
        var probe = mount.File("probe");
        Assert.Equal(0, Sh.RunResult("truncate", ["-s", limit.ToString(CultureInfo.InvariantCulture), probe], accept: [0, 1]).ExitStatus);
        Assert.Equal(1, Sh.RunResult("truncate", ["-s", (limit + 1).ToString(CultureInfo.InvariantCulture), probe], accept: [0, 1]).ExitStatus);
    }

    [MountFact]
    public async Task Disk_on_a_read_only_mount_cannot_be_customized_resized_or_sealed_exit_8_and_is_unchanged()
    {
        using var mount = ScratchMount.Tmpfs(64);
        var disk = mount.File("disk.raw");
        TestDisks.CreateGpt(disk, 32, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var hash = Sh.Sha256(disk);
        mount.RemountReadOnly();

        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "ro-01");
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "64M");
        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (inspectExit, _, _) = await CliRun.JsonAsync("inspect", disk);

        Assert.Equal((int)ExitCode.NotWritable, customizeExit);
        Assert.Contains("is not writable: Read-only file system", customize.Error, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotWritable, resizeExit);
        Assert.Contains("is not writable: Read-only file system", resize.Error, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotWritable, sealExit);
        Assert.Contains("Read-only file system", seal.Error, StringComparison.Ordinal);
        Assert.Equal(0, inspectExit);
        Assert.Equal(hash, Sh.Sha256(disk)); // hashed after every command that could have written
    }

    [Fact]
    public async Task Luks_container_is_named_by_inspect_and_refused_by_seal_customize_and_resize()
    {
        var key = _temp.File("key");
        await File.WriteAllTextAsync(key, "secret");
        ProbeImages.DiskWith(_temp, 24, fs => Sh.Run("cryptsetup", "luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", $"--key-file={key}", fs));
        var disk = _temp.File("disk.img");
        var uuid = LuksUuid(disk);

        await AssertNamedAndRefused(disk, $"LUKS2 encrypted container (UUID {uuid})");
    }

    [LoopDeviceFact]
    public async Task Lvm_physical_volume_in_no_volume_group_is_named_by_inspect_and_refused_by_seal_customize_and_resize()
    {
        var disk = _temp.File("lvm.raw");
        TestDisks.CreateGpt(disk, 32, new PartitionSpec(0, "8e00"));
        var (offset, length) = TestDisks.PartitionRange(disk, 1);
        string uuid;
        using (var device = new LoopRange(disk, offset, length))
        {
            Sh.Run("pvcreate", "-q", "-ff", "-y", device.Path);
            uuid = Sh.Run("pvs", "--noheadings", "-o", "pv_uuid", "--devices", device.Path, device.Path).Trim();
        }

        await AssertNamedAndRefused(disk, $"LVM2 physical volume (PV UUID {uuid})");
    }

    [Fact]
    public async Task Ntfs_disk_is_refused_as_a_windows_guest_by_seal_customize_and_resize()
    {
        ProbeImages.DiskWith(_temp, 24, fs => Sh.Run("mkntfs", "-F", "-Q", "-L", "Windows", fs));
        var disk = _temp.File("disk.img");
        var hash = Sh.Sha256(disk);

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "x");
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "64M");

        Assert.Equal(0, inspectExit);
        Assert.Equal("ntfs", inspect.Disk!.Partitions.Single().Filesystem);
        foreach (var (command, exit, result) in new[] { ("seal", sealExit, seal), ("customize", customizeExit, customize), ("resize", resizeExit, resize) })
        {
            Assert.True((int)ExitCode.Unsupported == exit, $"{command} exited {exit}, not 5: {result.Error}");
            Assert.StartsWith("Windows guest, not supported yet: partition 1 of ", result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(hash, Sh.Sha256(disk));
    }

    [Fact]
    public async Task An_unexpected_exception_is_exit_1_with_one_internal_error_line_and_no_stack_trace()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var runner = new CommandRunner(stdout, stderr);
        var root = ImprintCli.Build(runner);
        var parse = root.Parse(["inspect", "x"]);

        var exit = await runner.RunAsync("inspect", parse, (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None);

        Assert.Equal((int)ExitCode.InternalError, exit);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("internal error: boom (System.InvalidOperationException)", lines[0], StringComparison.Ordinal);
        BadImages.AssertNoStackTrace(stdout.ToString() + stderr);
    }

    private static async Task AssertNamedAndRefused(string disk, string named)
    {
        var hash = Sh.Sha256(disk);

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "x");
        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "64M");

        Assert.Equal(0, inspectExit);
        Assert.Contains(inspect.Warnings!, w => w.Contains(named, StringComparison.Ordinal));
        foreach (var (command, exit, result) in new[] { ("seal", sealExit, seal), ("customize", customizeExit, customize), ("resize", resizeExit, resize) })
        {
            Assert.True((int)ExitCode.Unsupported == exit, $"{command} exited {exit}, not 5: {result.Error}");
            Assert.Contains(named, result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(hash, Sh.Sha256(disk));
    }

    private static string LuksUuid(string disk)
    {
        var (offset, _) = TestDisks.PartitionRange(disk, 1);
        var probe = Sh.RunResult("blkid", ["-p", "-O", offset.ToString(CultureInfo.InvariantCulture), "-s", "UUID", "-o", "value", disk], accept: [0, 2]);
        return probe.StandardOutput.Trim();
    }
}
