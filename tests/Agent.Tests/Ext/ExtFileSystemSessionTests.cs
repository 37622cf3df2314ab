using System.Text;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Ext;

/// <summary>
/// Reads go through one kept-open read-only debugfs and a cached tree: these pin that neither outlives a write (ours or
/// someone else's), that the process goes away, and that a kept-open session answers exactly like one-shot runs.
/// </summary>
public sealed class ExtFileSystemSessionTests
{
    [Fact]
    public async Task A_read_after_our_own_write_sees_the_new_content_and_metadata()
    {
        using var image = new ExtTestImage();
        using var fs = image.Open();
        var before = await fs.TryReadTextAsync("/etc/hostname");
        var statBefore = await fs.StatAsync("/etc/hostname");
        Assert.True(fs.HasOpenReadSession);

        await fs.ApplyAsync(new GuestEditBatch().WriteText("/etc/hostname", "renamed-host\n", mode: 0b110_000_000));
        Assert.False(fs.HasOpenReadSession); // closed before debugfs -w ran, not reopened by the write

        var after = await fs.TryReadTextAsync("/etc/hostname");
        var statAfter = await fs.StatAsync("/etc/hostname");
        Assert.NotEqual(before, after);
        Assert.Equal(image.Cat("/etc/hostname"), after);
        Assert.Equal("renamed-host\n", after);
        Assert.NotEqual(statBefore!.Size, statAfter!.Size);
        Assert.Equal((image.Stat("/etc/hostname").Mode, 0b110_000_000, 13L), (statAfter.Mode, statAfter.Mode, statAfter.Size));
        Assert.Contains("hosts", (await fs.ListDirectoryAsync("/etc")).Select(e => e.Name));
    }

    [Fact]
    public async Task A_change_made_by_another_writer_is_seen_by_the_next_read()
    {
        using var image = new ExtTestImage();
        using var fs = image.Open();
        Assert.DoesNotContain("added-elsewhere", (await fs.ListDirectoryAsync("/etc")).Select(e => e.Name));
        var hostname = await fs.TryReadTextAsync("/etc/hostname");

        // Another process edits the image while our read session is open (mtime changes, so the cache must go).
        await Task.Delay(20);
        image.Debugfs("mkdir /etc/added-elsewhere", writable: true);
        image.Debugfs("rm /etc/hostname", writable: true);

        Assert.Contains("added-elsewhere", (await fs.ListDirectoryAsync("/etc")).Select(e => e.Name));
        Assert.NotNull(hostname);
        Assert.Null(await fs.TryReadTextAsync("/etc/hostname"));
        Assert.False(image.Exists("/etc/hostname"));
    }

    [Fact]
    public async Task The_read_session_closes_on_dispose_and_after_it_idles()
    {
        using var image = new ExtTestImage();
        var disposed = image.Open();
        await disposed.StatAsync("/etc");
        Assert.True(disposed.HasOpenReadSession);
        disposed.Dispose();
        Assert.False(disposed.HasOpenReadSession);

        var idle = image.Open();
        await idle.StatAsync("/etc");
        Assert.True(idle.HasOpenReadSession);
        var deadline = DateTime.UtcNow + GuestTree.SessionIdleTime + TimeSpan.FromSeconds(10);
        while (idle.HasOpenReadSession && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(idle.HasOpenReadSession);

        // A closed session is reopened on demand.
        Assert.Equal(image.Cat("/etc/hostname"), await idle.TryReadTextAsync("/etc/hostname"));
        idle.Dispose();
    }

    [Fact]
    public async Task Inspection_hands_its_read_session_to_one_next_filesystem_on_the_root_which_still_sees_writes()
    {
        using var image = new ExtTestImage();
        var inspection = await DiskInspector.InspectAsync(image.Image, CancellationToken.None);
        var root = DiskInspector.RequireRoot(inspection);

        using var adopted = new ExtFileSystem(image.Image, root.Partition.Range);
        using var second = new ExtFileSystem(image.Image, root.Partition.Range);
        Assert.True(adopted.HasOpenReadSession);   // inspection's debugfs, kept open
        Assert.False(second.HasOpenReadSession);   // never two owners of one cache

        // The adopted cache is still checked against the image: a write by someone else is seen.
        Assert.Equal("golden\n", await adopted.TryReadTextAsync("/etc/hostname"));
        await second.ApplyAsync(new GuestEditBatch().WriteText("/etc/hostname", "after-inspection\n"));
        Assert.Equal("after-inspection\n", await adopted.TryReadTextAsync("/etc/hostname"));
        Assert.Equal(image.Cat("/etc/hostname"), await adopted.TryReadTextAsync("/etc/hostname"));
    }

    [Fact]
    public async Task Many_rounds_in_one_session_answer_like_one_shot_debugfs_runs()
    {
        using var image = new ExtTestImage();
        string[][] rounds =
        [
            ["ls -p /etc", "stat /etc/hostname", "stat /no/such/file"],
            ["features", "ls -p /home/debian", "ea_list /usr/bin/sudo"],
            ["cat /etc/hostname", "ls -p /nope"],
        ];
        using var session = DebugfsSession.Start(image.Image, image.Offset);
        foreach (var commands in rounds)
        {
            var kept = await session.RunAsync(commands, CancellationToken.None);
            var oneShot = await DebugfsRun.RunAsync(image.Image, image.Offset, commands, writable: false, CancellationToken.None);
            Assert.Equal(oneShot, kept);
        }

        var failing = await session.RunAsync(["stat /no/such/file"], CancellationToken.None);
        Assert.True(failing[0].Failed);
        Assert.Contains("File not found", failing[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_on_something_that_is_not_ext_fails_clearly()
    {
        using var temp = new TempDirectory();
        var path = temp.File("zeros.img");
        await File.WriteAllBytesAsync(path, new byte[1 << 20]);
        using var session = DebugfsSession.Start(path, 0);
        var error = await Assert.ThrowsAsync<Imprint.Agent.Errors.ImprintException>(() => session.RunAsync(["ls -p /"], CancellationToken.None));
        Assert.Contains("cannot open the ext filesystem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scratch_files_share_one_private_folder_and_are_deleted_with_their_operation()
    {
        string first;
        using (var a = new ScratchFiles())
        using (var b = new ScratchFiles())
        {
            Assert.Equal(a.Directory, b.Directory);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(a.Directory));
            first = a.File("content-0");
            var second = b.File("content-0");
            Assert.NotEqual(first, second);
            File.WriteAllText(first, "secret");
            File.WriteAllText(second, "other");
            b.Dispose();
            Assert.False(File.Exists(second));
            Assert.Equal("secret", Encoding.UTF8.GetString(File.ReadAllBytes(first)));
        }

        Assert.False(File.Exists(first));
    }
}
