using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// A disk that QEMU holds open (qemu-io, as a running VM would) is never written: every writing command exits 6
/// "in use" and the image's bytes, hashed after the command, are unchanged. Readers share with readers only.
/// </summary>
public sealed class DiskInUseTests(SampleDisk sample) : IClassFixture<SampleDisk>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_writer_exits_6_while_qemu_holds_the_disk_and_the_disk_is_unchanged(bool qemuReadOnly)
    {
        var disk = _temp.File("vm-disk.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, disk);
        // The clone and convert sources differ from the held disk, so a write through either would change its hash.
        var golden = _temp.File("golden.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, golden);
        Sh.Run("debugfs", "-w", "-R", "write /dev/null /etc/golden-marker", $"{golden}?offset={TestDisks.PartitionRange(golden, 2).Offset}");
        var qcow2 = _temp.File("golden.qcow2");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", golden, qcow2);
        var hash = Sh.Sha256(disk);
        using var qemu = HeldProcess.QemuIo(disk, qemuReadOnly);

        string[][] writers =
        [
            ["seal", disk],
            ["customize", disk, "--hostname", "web-1"],
            ["resize", disk, "--size", "96M"],
            ["clone", golden, disk, "--overwrite"],
            ["convert", qcow2, disk, "--overwrite"],
        ];
        foreach (var args in writers)
        {
            var (exit, result, _) = await CliRun.JsonAsync(args);

            Assert.True(exit == (int)ExitCode.Conflict, $"{args[0]}: exit {exit}: {result.Error}");
            Assert.Contains("in use", result.Error, StringComparison.Ordinal);
            Assert.Equal(hash, Sh.Sha256(disk));
            Assert.False(File.Exists(disk + ".partial"), $"{args[0]} left a work file");
        }

        Assert.True(qemu.IsRunning);
    }

    [Fact]
    public async Task Inspect_exits_6_while_qemu_writes_the_disk_and_works_while_qemu_only_reads()
    {
        var disk = _temp.File("disk.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, disk);

        int whileWritten;
        using (HeldProcess.QemuIo(disk, readOnly: false))
        {
            whileWritten = (await CliRun.JsonAsync("inspect", disk)).Exit;
        }

        using var reader = HeldProcess.QemuIo(disk, readOnly: true);
        var whileRead = await CliRun.JsonAsync("inspect", disk);

        Assert.Equal((int)ExitCode.Conflict, whileWritten);
        Assert.True(whileRead.Exit == 0, whileRead.Result.Error);
        Assert.Equal("debian", whileRead.Result.Guest?.Distro);
    }

    /// <summary>
    /// An <c>imprint inspect</c> process frozen while it holds its shared lock: another inspect runs, a seal exits 6
    /// (readers and writers exclude each other, like QEMU's) and leaves the disk unchanged; the frozen one then ends well.
    /// </summary>
    [Fact]
    public async Task Inspect_runs_beside_another_inspect_and_a_writer_waits_for_neither()
    {
        var disk = _temp.File("disk.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, disk);
        var hash = Sh.Sha256(disk);
        using var first = HeldProcess.Imprint("inspect", disk);
        Assert.True(FileLocks.WaitForLock(disk, "READ", () => first.IsRunning, TimeSpan.FromSeconds(60)), "inspect never held its lock");
        first.Stop();

        var second = await CliRun.JsonAsync("inspect", disk);
        var seal = await CliRun.JsonAsync("seal", disk);
        first.Continue();
        var (firstExit, _, firstError) = await first.WaitAsync();

        Assert.True(second.Exit == 0, second.Result.Error);
        Assert.Equal((int)ExitCode.Conflict, seal.Exit);
        Assert.Contains("in use", seal.Result.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(disk));
        Assert.True(firstExit == 0, firstError);
    }

    [LoopDeviceFact]
    public async Task Clone_onto_a_block_device_whose_filesystem_is_mounted_is_exit_6()
    {
        var backing = _temp.File("device.raw");
        Sh.Run("truncate", "-s", "80M", backing);
        var device = Sh.Run("losetup", "-f", "--show", backing).Trim();
        var mountPoint = Directory.CreateDirectory(_temp.File("mnt")).FullName;
        try
        {
            Sh.Run("mkfs.ext4", "-q", device);
            Sh.Run("mount", device, mountPoint);
            await File.WriteAllTextAsync(Path.Combine(mountPoint, "keep"), "mounted data");

            var (exit, result, _) = await CliRun.JsonAsync("clone", sample.Path, device);
            Sh.Run("umount", mountPoint);

            // The mounted filesystem changes its own bytes (journal), so the oracle is fsck and the file, not a hash.
            Assert.True(exit == (int)ExitCode.Conflict, $"exit {exit}: {result.Error}");
            Assert.Contains("mounted", result.Error, StringComparison.Ordinal);
            Sh.AssertFsckClean(device, 0);
            Assert.Equal("mounted data", Sh.DebugfsCat(device, 0, "/keep"));
        }
        finally
        {
            Sh.RunResult("umount", [mountPoint], accept: [0, 1, 32]);
            Sh.Run("losetup", "-d", device);
        }
    }
}
