using System.Diagnostics;
using System.Security.Cryptography;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

/// <summary>
/// The intent record + undo file that make resize2fs and debugfs -w batches all-or-nothing. A run "killed" inside the
/// tool is simulated by stopping the tool with SIGKILL once it has written, and leaving RunAsync by an exception it
/// does not handle, so the record stays behind exactly as after a SIGKILL of the pod.
/// </summary>
public sealed class ExtUndoJournalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Resize2fs_killed_after_writing_is_rolled_back_to_the_exact_bytes_by_the_next_run()
    {
        var (disk, offset, blocks) = GrownDiskWithSmallFilesystem();
        var before = Hash(disk);

        await Assert.ThrowsAsync<SimulatedKill>(() => ExtUndoJournal.RunAsync<int>(disk, offset, "resize2fs", async (undo, _) =>
        {
            using var resize2fs = Process.Start(new ProcessStartInfo("sh", ["-c", "exec 0<&-; exec resize2fs -z \"$0\" \"$1\" \"$2\"", undo!, $"{disk}?offset={offset}", blocks]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            while (!resize2fs.HasExited && new FileInfo(undo!).Exists && new FileInfo(undo!).Length < 64 * 1024)
            {
                await Task.Delay(1);
            }

            resize2fs.Kill();
            await resize2fs.WaitForExitAsync();
            throw new SimulatedKill();
        }, CancellationToken.None));
        Assert.True(File.Exists(ExtUndoJournal.JournalPath(disk)), "the intent record must survive the kill");

        var recovered = await ExtUndoJournal.RecoverAsync(disk, CancellationToken.None);

        Assert.True(recovered);
        Assert.Equal(before, Hash(disk)); // every byte back, the superblock included
        Sh.AssertFsckClean(disk, offset);
        Assert.False(File.Exists(ExtUndoJournal.JournalPath(disk)));
        Assert.False(File.Exists(ExtUndoJournal.UndoPath(disk)));
    }

    [Fact]
    public async Task A_record_for_a_replaced_image_is_dropped_without_touching_the_new_one()
    {
        var (disk, offset, _) = GrownDiskWithSmallFilesystem();
        await Assert.ThrowsAsync<SimulatedKill>(() => ExtUndoJournal.RunAsync<int>(disk, offset, "debugfs", (_, _) => throw new SimulatedKill(), CancellationToken.None));
        var replacement = disk + ".new";
        Sh.Run("cp", "--sparse=always", disk, replacement);
        File.Move(replacement, disk, overwrite: true); // another inode under the same name, as a re-copied clone
        var before = Hash(disk);

        var recovered = await ExtUndoJournal.RecoverAsync(disk, CancellationToken.None);

        Assert.False(recovered);
        Assert.Equal(before, Hash(disk));
        Assert.False(File.Exists(ExtUndoJournal.JournalPath(disk)));
    }

    [Fact]
    public async Task A_finished_step_leaves_no_record_and_no_undo_file()
    {
        var (disk, offset, _) = GrownDiskWithSmallFilesystem();

        var result = await ExtUndoJournal.RunAsync(disk, offset, "debugfs", (undo, _) => Task.FromResult(undo), CancellationToken.None);

        Assert.Equal(ExtUndoJournal.UndoPath(disk), result);
        Assert.False(File.Exists(ExtUndoJournal.JournalPath(disk)));
        Assert.False(File.Exists(ExtUndoJournal.UndoPath(disk)));
    }

    [Fact]
    public async Task A_killed_step_on_1KiB_blocks_is_repaired_by_the_next_run_without_leaving_its_orphans_in_lost_and_found()
    {
        var (disk, offset) = OneKiBlockDisk();
        var length = new FileInfo(disk).Length;

        // What a kill leaves on 1 KiB blocks (measured): resize2fs "Resize inode not valid" and a shorter file; a seal's
        // "rm" stopped between unlinking a host key and freeing its inode, which e2fsck would keep in /lost+found.
        await Assert.ThrowsAsync<SimulatedKill>(() => ExtUndoJournal.RunAsync<int>(disk, offset, "resize2fs", (undo, _) =>
        {
            Assert.Null(undo); // the undo manager corrupts 1 KiB-block filesystems at an offset
            Sh.Run("debugfs", "-w", "-R", "clri <7>", $"{disk}?offset={offset}");
            Sh.Run("debugfs", "-w", "-R", "unlink /etc/ssh/ssh_host_rsa_key", $"{disk}?offset={offset}");
            using (var image = new FileStream(disk, FileMode.Open, FileAccess.Write))
            {
                image.SetLength(length - TestDisks.MiB);
            }

            throw new SimulatedKill();
        }, CancellationToken.None));
        Assert.Contains("undo=none", await File.ReadAllTextAsync(ExtUndoJournal.JournalPath(disk)));
        Assert.NotEqual(0, Sh.RunResult("e2fsck", ["-fn", $"{disk}?offset={offset}"], accept: [0, 1, 2, 4, 8]).ExitStatus);

        var recovered = await ExtUndoJournal.RecoverAsync(disk, CancellationToken.None);

        Assert.True(recovered);
        Assert.Equal(length, new FileInfo(disk).Length);
        Sh.AssertFsckClean(disk, offset);
        Assert.Equal("golden\n", Sh.RunResult("debugfs", ["-R", "cat /etc/hostname", $"{disk}?offset={offset}"], accept: [0]).StandardOutput);
        var lostAndFound = Sh.RunResult("debugfs", ["-R", "ls -p /lost+found", $"{disk}?offset={offset}"], accept: [0]).StandardOutput;
        var names = lostAndFound.Split('\n').Select(l => l.Split('/')).Where(f => f.Length > 6 && f[1] != "0").Select(f => f[5]);
        Assert.Equal([".", ".."], names.Order(StringComparer.Ordinal)); // the half-deleted host key is gone, not kept as #N
        Assert.False(File.Exists(ExtUndoJournal.JournalPath(disk)));
    }

    [Fact]
    public async Task A_killed_step_on_1KiB_blocks_that_e2fsck_cannot_repair_fails_with_invalid_image_and_keeps_the_record()
    {
        var (disk, offset) = OneKiBlockDisk();
        await Assert.ThrowsAsync<SimulatedKill>(() => ExtUndoJournal.RunAsync<int>(disk, offset, "debugfs", (_, _) =>
        {
            using (var image = new FileStream(disk, FileMode.Open, FileAccess.Write))
            {
                // Every superblock copy gone: e2fsck -fy otherwise rebuilds from a backup (it does after 8 MiB zeroed).
                image.Position = offset;
                image.Write(new byte[TestDisks.PartitionRange(disk, 1).Length]);
            }

            throw new SimulatedKill();
        }, CancellationToken.None));

        var error = await Assert.ThrowsAsync<ImprintException>(() => ExtUndoJournal.RecoverAsync(disk, CancellationToken.None));

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains(disk, error.Message, StringComparison.Ordinal);
        Assert.Contains("rebuilt from its golden", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(ExtUndoJournal.JournalPath(disk)), "the record must stay so every later run stops too");
    }

    /// <summary>A 64 MiB GPT disk with a 1 KiB-block ext4 (as mkfs.ext4 makes for small filesystems) holding a guest tree.</summary>
    private (string Disk, long Offset) OneKiBlockDisk()
    {
        var disk = _temp.File("disk1k.raw");
        TestDisks.CreateGpt(disk, 64, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree1k")), extra: ["-b", "1024"]);
        return (disk, offset);
    }

    /// <summary>A 64 MiB GPT disk grown to 1 GiB (file and partition), its 4 KiB-block ext4 not grown yet.</summary>
    private (string Disk, long Offset, string Blocks) GrownDiskWithSmallFilesystem()
    {
        var disk = _temp.File("disk.raw");
        TestDisks.CreateGpt(disk, 64, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")), extra: ["-b", "4096"]);
        using (var stream = new FileStream(disk, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(1024L * TestDisks.MiB);
        }

        Sh.Run("sgdisk", "-e", disk);
        Sh.Run("sgdisk", "-d1", "-n1:2048:0", disk);
        var (_, length) = TestDisks.PartitionRange(disk, 1);
        return (disk, offset, (length / 4096).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private sealed class SimulatedKill : Exception;
}
