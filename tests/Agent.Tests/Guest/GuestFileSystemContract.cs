using System.Text;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Guest;

/// <summary>
/// The <see cref="IGuestFileSystem"/> contract, run against an engine by deriving from this class: every derived test
/// class gets its own guest built from <see cref="ContractGuestTree"/>, opened through <see cref="OpenAsync"/>, and
/// checked with the engine-independent oracle it supplies (debugfs for e2fsprogs, guestfish for libguestfs) and its
/// filesystem checker. Each test opens the guest once or twice only, so an appliance engine can run the whole contract
/// in a few launches.
/// </summary>
public abstract class GuestFileSystemContract
{
    /// <summary>Opens the test's guest (a fresh copy per test instance) with the engine under test.</summary>
    protected abstract Task<IGuestFileSystem> OpenAsync(GuestAccess access);

    /// <summary>The path's entry as an independent tool reads it (symlinks not followed); null when it does not exist.</summary>
    protected abstract GuestOracleEntry? OracleStat(string path);

    /// <summary>A regular file's content as an independent tool reads it; null when it does not exist.</summary>
    protected abstract string? OracleRead(string path);

    /// <summary>Fails the test unless the filesystem's own checker finds it clean.</summary>
    protected abstract void AssertConsistent();

    /// <summary>A digest of the whole disk image, to prove that something wrote nothing.</summary>
    protected abstract string ImageDigest();

    [Fact]
    public async Task Reads_follow_symlinks_inside_the_guest_and_report_missing_as_null()
    {
        using var guest = await OpenAsync(GuestAccess.ReadOnly);

        Assert.False(string.IsNullOrEmpty(guest.EngineName));
        Assert.False(guest.IsWritable);
        Assert.Equal("golden\n", await guest.TryReadTextAsync("/etc/hostname", default));
        Assert.Equal("golden\n", await guest.TryReadTextAsync("/etc/link-abs", default));
        Assert.Equal("golden\n", await guest.TryReadTextAsync("/etc/link-rel", default));
        Assert.Equal("golden\n", await guest.TryReadTextAsync("/etc/link-escape", default)); // '..' stops at the guest root
        Assert.Equal("a\n", await guest.TryReadTextAsync("/etc/loglink/a.log", default));
        Assert.Equal("a\n", await guest.TryReadTextAsync("/var/log/sub/to-a", default));
        Assert.Null(await guest.TryReadTextAsync("/etc/dangling", default));
        Assert.Null(await guest.TryReadTextAsync("/etc/missing", default));
        Assert.Null(await guest.TryReadTextAsync("/nonexistent/dir/file", default));
        Assert.Null(await guest.TryReadTextAsync("/var/log", default));
        Assert.Equal("gol"u8.ToArray(), await guest.TryReadBytesAsync("/etc/link-abs", 3, default));

        var link = await guest.StatAsync("/etc/link-abs", default);
        Assert.Equal(GuestFileKind.Symlink, link!.Kind);
        Assert.Equal("/etc/hostname", link.SymlinkTarget);
        var followed = await guest.StatFollowingAsync("/etc/link-rel", default);
        Assert.Equal(new { Kind = GuestFileKind.File, Mode = 0b110_100_100, Uid = 0u, Path = "/etc/hostname", Size = 7L }, new { followed!.Kind, followed.Mode, followed.Uid, followed.Path, followed.Size });
        var notes = await guest.StatAsync("/home/user/notes.txt", default);
        Assert.Equal((GuestFileKind.File, 0b110_100_000, 1000u, 1000u), (notes!.Kind, notes.Mode, notes.Uid, notes.Gid));
        Assert.Equal(GuestFileKind.Symlink, (await guest.StatAsync("/etc/dangling", default))!.Kind);
        Assert.Null(await guest.StatFollowingAsync("/etc/dangling", default));
        Assert.Null(await guest.StatAsync("/etc/missing", default));
        Assert.Equal(GuestFileKind.Directory, (await guest.StatFollowingAsync("/etc/loglink", default))!.Kind);

        var entries = await guest.ListDirectoryAsync("/etc/loglink/sub", default);
        Assert.Equal(["c.log", "deeper", "to-a"], entries.Select(e => e.Name));
        Assert.Equal([GuestFileKind.File, GuestFileKind.Directory, GuestFileKind.Symlink], entries.Select(e => e.Kind));
        var missing = await Assert.ThrowsAsync<ImprintException>(() => guest.ListDirectoryAsync("/var/nothing", default));
        Assert.Equal(ExitCode.NotFound, missing.Code);
    }

    [Theory]
    [InlineData("/var/log/*.log", "/var/log/a.log /var/log/b.log")]
    [InlineData("/var/log/.*", "/var/log/.hidden.log")]
    [InlineData("/var/log/**", "/var/log/a.log /var/log/b.log /var/log/sub /var/log/sub/c.log /var/log/sub/deeper /var/log/sub/deeper/d.txt /var/log/sub/to-a")]
    [InlineData("/var/**/*.log", "/var/log/a.log /var/log/b.log /var/log/sub/c.log")]
    [InlineData("/etc/loglink/*.log", "/etc/loglink/a.log /etc/loglink/b.log")]
    [InlineData("/etc/link-*", "/etc/link-abs /etc/link-escape /etc/link-rel")]
    [InlineData("/etc/dangling", "/etc/dangling")]
    [InlineData("/etc/[hm]*", "/etc/hostname /etc/machine-id")]
    [InlineData("/nonexistent/*", "")]
    [InlineData("/etc/hostname/*", "")]
    public async Task Globs_match_as_documented_and_as_the_generic_expander(string pattern, string expected)
    {
        using var guest = await OpenAsync(GuestAccess.ReadOnly);

        var matches = await guest.GlobAsync(pattern, default);
        var generic = await GuestGlobExpander.ExpandAsync(guest, pattern, default);

        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), matches);
        Assert.Equal(matches, generic);
    }

    [Fact]
    public async Task Writes_default_to_0644_root_keep_existing_metadata_and_report_unchanged_when_identical()
    {
        using var guest = await OpenAsync(GuestAccess.ReadWrite);
        var batch = new GuestEditBatch()
            .WriteText("/etc/new.conf", "new\n")
            .WriteText("/etc/owned.conf", "owned\n", 0b110_000_000, 1000, 1001)
            .WriteText("/home/user/notes.txt", "rewritten\n")
            .WriteText("/etc/hostname", "golden\n")
            .WriteText("/etc/link-rel", "through-link\n")
            .WriteText("/etc/resolv.conf", "nameserver 192.0.2.53\n")
            .WriteFile("/etc/binary", [0, 1, 2, 255]);

        var changes = await guest.ApplyAsync(batch, default);
        await guest.CommitAsync(default);

        Assert.Equal(
            [
                ("/etc/new.conf", GuestChangeAction.Created), ("/etc/owned.conf", GuestChangeAction.Created),
                ("/home/user/notes.txt", GuestChangeAction.Overwritten), ("/etc/hostname", GuestChangeAction.Unchanged),
                ("/etc/hostname", GuestChangeAction.Overwritten), ("/etc/resolv.conf", GuestChangeAction.Overwritten),
                ("/etc/binary", GuestChangeAction.Created),
            ],
            changes.Select(c => (c.Path, c.Action)));
        Assert.All(changes, c => Assert.Equal(GuestEditOperationKind.WriteFile, c.Operation));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.File, 0b110_100_100, 0, 0, null), OracleStat("/etc/new.conf"));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.File, 0b110_000_000, 1000, 1001, null), OracleStat("/etc/owned.conf"));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.File, 0b110_100_000, 1000, 1000, null), OracleStat("/home/user/notes.txt"));
        Assert.Equal("rewritten\n", OracleRead("/home/user/notes.txt"));
        Assert.Equal("through-link\n", OracleRead("/etc/hostname"));
        Assert.Equal(GuestFileKind.Symlink, OracleStat("/etc/link-rel")!.Kind);
        Assert.Equal(GuestFileKind.File, OracleStat("/etc/resolv.conf")!.Kind); // a link dangling into a missing folder is replaced
        Assert.Equal("nameserver 192.0.2.53\n", OracleRead("/etc/resolv.conf"));
        Assert.Equal("\0\u0001\u0002", OracleRead("/etc/binary")?[..3]);
        AssertConsistent();
    }

    [Fact]
    public async Task Reads_after_apply_see_the_new_state_and_a_repeated_batch_writes_nothing()
    {
        static GuestEditBatch Batch() => new GuestEditBatch()
            .MkdirP("/opt/app/conf", 0b111_101_000, 1000, 1000)
            .WriteText("/opt/app/conf/app.ini", "x=1\n")
            .Symlink("/opt/app/current", "conf")
            .Delete("/var/log/a.log");
        IReadOnlyList<GuestChange> first, second;
        IReadOnlyList<GuestDirectoryEntry> listing;
        IReadOnlyList<string> globbed;
        string? read;
        using (var guest = await OpenAsync(GuestAccess.ReadWrite))
        {
            Assert.Null(await guest.TryReadTextAsync("/opt/app/conf/app.ini", default));
            first = await guest.ApplyAsync(Batch(), default);
            read = await guest.TryReadTextAsync("/opt/app/current/app.ini", default);
            listing = await guest.ListDirectoryAsync("/var/log", default);
            globbed = await guest.GlobAsync("/var/log/*.log", default);
            second = await guest.ApplyAsync(Batch(), default);
            await guest.CommitAsync(default);
        }

        var digest = ImageDigest();

        Assert.Equal("x=1\n", read);
        Assert.DoesNotContain(listing, e => e.Name == "a.log");
        Assert.Equal(["/var/log/b.log"], globbed);
        Assert.Equal(
            [("/opt", GuestChangeAction.Created), ("/opt/app", GuestChangeAction.Created), ("/opt/app/conf", GuestChangeAction.Created),
             ("/opt/app/conf/app.ini", GuestChangeAction.Created), ("/opt/app/current", GuestChangeAction.Created), ("/var/log/a.log", GuestChangeAction.Deleted)],
            first.Select(c => (c.Path, c.Action)));
        Assert.Equal(
            [("/opt/app/conf", GuestChangeAction.Unchanged), ("/opt/app/conf/app.ini", GuestChangeAction.Unchanged),
             ("/opt/app/current", GuestChangeAction.Unchanged), ("/var/log/a.log", GuestChangeAction.Missing)],
            second.Select(c => (c.Path, c.Action)));
        Assert.All(second, c => Assert.False(c.IsChange));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.Directory, 0b111_101_101, 0, 0, null), OracleStat("/opt/app"));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.Directory, 0b111_101_000, 1000, 1000, null), OracleStat("/opt/app/conf"));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.Symlink, 0b111_111_111, 0, 0, "conf"), OracleStat("/opt/app/current"));
        Assert.Null(OracleStat("/var/log/a.log"));
        AssertConsistent();
        using var again = await OpenAsync(GuestAccess.ReadWrite);
        Assert.All(await again.ApplyAsync(Batch(), default), c => Assert.False(c.IsChange));
        await again.CommitAsync(default);
        Assert.Equal(digest, ImageDigest());
    }

    [Fact]
    public async Task Deletes_remove_links_not_targets_trees_with_contents_and_report_each_top_path()
    {
        using var guest = await OpenAsync(GuestAccess.ReadWrite);
        var batch = new GuestEditBatch()
            .Delete("/etc/link-abs")
            .Delete("/etc/never-there")
            .DeleteTree("/etc/loglink")
            .DeleteGlob("/var/log/sub/*")
            .DeleteGlob("/var/nothing/*.log")
            .EmptyDirectory("/var/log")
            .DeleteTree("/var/empty");

        var changes = await guest.ApplyAsync(batch, default);
        await guest.CommitAsync(default);

        Assert.Equal(
            [
                (GuestEditOperationKind.Delete, "/etc/link-abs", GuestChangeAction.Deleted),
                (GuestEditOperationKind.Delete, "/etc/never-there", GuestChangeAction.Missing),
                (GuestEditOperationKind.DeleteTree, "/etc/loglink", GuestChangeAction.Deleted),
                (GuestEditOperationKind.DeleteGlob, "/var/log/sub/c.log", GuestChangeAction.Deleted),
                (GuestEditOperationKind.DeleteGlob, "/var/log/sub/deeper", GuestChangeAction.Deleted),
                (GuestEditOperationKind.DeleteGlob, "/var/log/sub/to-a", GuestChangeAction.Deleted),
                (GuestEditOperationKind.DeleteGlob, "/var/nothing/*.log", GuestChangeAction.Missing),
                (GuestEditOperationKind.EmptyDirectory, "/var/log/.hidden.log", GuestChangeAction.Deleted),
                (GuestEditOperationKind.EmptyDirectory, "/var/log/a.log", GuestChangeAction.Deleted),
                (GuestEditOperationKind.EmptyDirectory, "/var/log/b.log", GuestChangeAction.Deleted),
                (GuestEditOperationKind.EmptyDirectory, "/var/log/sub", GuestChangeAction.Deleted),
                (GuestEditOperationKind.DeleteTree, "/var/empty", GuestChangeAction.Deleted),
            ],
            changes.Select(c => (c.Operation, c.Path, c.Action)));
        Assert.Null(OracleStat("/etc/link-abs"));
        Assert.Equal("golden\n", OracleRead("/etc/hostname"));
        Assert.Null(OracleStat("/etc/loglink"));
        Assert.Equal(GuestFileKind.Directory, OracleStat("/var/log")!.Kind);
        Assert.Null(OracleStat("/var/log/a.log"));
        Assert.Null(OracleStat("/var/log/sub"));
        Assert.Null(OracleStat("/var/empty"));
        AssertConsistent();
    }

    [Fact]
    public async Task Symlinks_chmod_chown_and_truncate_follow_the_documented_rules()
    {
        using var guest = await OpenAsync(GuestAccess.ReadWrite);
        var batch = new GuestEditBatch()
            .Symlink("/etc/new-link", "/does/not/matter")
            .Symlink("/etc/link-abs", "/etc/secret")
            .Symlink("/etc/link-rel", "hostname")
            .Symlink("/etc/machine-id.old", "machine-id")
            .Chmod("/etc/link-rel", 0b100_000_000)
            .Chmod("/etc/secret", 0b110_000_000)
            .Chown("/etc/secret", 1000, null)
            .Truncate("/etc/machine-id.old");

        var changes = await guest.ApplyAsync(batch, default);
        await guest.CommitAsync(default);

        Assert.Equal(
            [
                ("/etc/new-link", GuestChangeAction.Created), ("/etc/link-abs", GuestChangeAction.Overwritten),
                ("/etc/link-rel", GuestChangeAction.Unchanged), ("/etc/machine-id.old", GuestChangeAction.Created),
                ("/etc/hostname", GuestChangeAction.Modified), ("/etc/secret", GuestChangeAction.Unchanged),
                ("/etc/secret", GuestChangeAction.Modified), ("/etc/machine-id", GuestChangeAction.Truncated),
            ],
            changes.Select(c => (c.Path, c.Action)));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.Symlink, 0b111_111_111, 0, 0, "/does/not/matter"), OracleStat("/etc/new-link"));
        Assert.Equal("/etc/secret", OracleStat("/etc/link-abs")!.LinkTarget);
        Assert.Equal(new GuestOracleEntry(GuestFileKind.File, 0b100_000_000, 0, 0, null), OracleStat("/etc/hostname"));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.File, 0b110_000_000, 1000, 0, null), OracleStat("/etc/secret"));
        Assert.Equal(new GuestOracleEntry(GuestFileKind.File, 0b100_100_100, 0, 0, null), OracleStat("/etc/machine-id"));
        Assert.Equal(string.Empty, OracleRead("/etc/machine-id"));
        AssertConsistent();
    }

    [Fact]
    public async Task Plan_returns_what_apply_does_and_writes_nothing()
    {
        var batch = new GuestEditBatch()
            .MkdirP("/srv/data")
            .WriteText("/srv/data/x", "x\n")
            .DeleteGlob("/var/log/*.log")
            .Truncate("/etc/machine-id")
            .Symlink("/srv/link", "data");
        var before = ImageDigest();
        IReadOnlyList<GuestChange> planned;
        using (var readOnly = await OpenAsync(GuestAccess.ReadOnly))
        {
            planned = await readOnly.PlanAsync(batch, default);
            await Assert.ThrowsAnyAsync<Exception>(() => readOnly.ApplyAsync(batch, default));
            await readOnly.CommitAsync(default);
        }

        Assert.Equal(before, ImageDigest());
        using var guest = await OpenAsync(GuestAccess.ReadWrite);
        var applied = await guest.ApplyAsync(batch, default);
        await guest.CommitAsync(default);

        Assert.Equal(planned.Select(c => (c.Operation, c.Path, c.Action)), applied.Select(c => (c.Operation, c.Path, c.Action)));
        Assert.Equal(7, applied.Count);
        AssertConsistent();
    }

    [Fact]
    public async Task A_batch_that_cannot_apply_is_refused_whole_before_anything_is_written()
    {
        var before = ImageDigest();
        using var guest = await OpenAsync(GuestAccess.ReadWrite);

        var noParent = await Assert.ThrowsAsync<ImprintException>(() => guest.ApplyAsync(new GuestEditBatch().WriteText("/etc/ok", "ok\n").WriteText("/no/such/dir/file", "x"), default));
        var directory = await Assert.ThrowsAsync<ImprintException>(() => guest.ApplyAsync(new GuestEditBatch().WriteText("/etc/ok", "ok\n").WriteText("/var/log", "x"), default));
        var chmodMissing = await Assert.ThrowsAsync<ImprintException>(() => guest.ApplyAsync(new GuestEditBatch().Chmod("/etc/nothing", 0b110_100_100), default));
        var mkdirOverFile = await Assert.ThrowsAsync<ImprintException>(() => guest.ApplyAsync(new GuestEditBatch().MkdirP("/etc/hostname/sub"), default));
        var deleteDirectory = await Assert.ThrowsAsync<ImprintException>(() => guest.ApplyAsync(new GuestEditBatch().Delete("/var/log"), default));
        var badPath = Assert.Throws<ImprintException>(() => new GuestEditBatch().WriteText("relative/path", "x"));
        var dotDot = Assert.Throws<ImprintException>(() => new GuestEditBatch().Delete("/etc/../etc/hostname"));
        var badMode = Assert.Throws<ImprintException>(() => new GuestEditBatch().Chmod("/etc/hostname", 0x1000));
        await guest.CommitAsync(default);

        Assert.Equal(ExitCode.NotFound, noParent.Code);
        Assert.Equal(ExitCode.Conflict, directory.Code);
        Assert.Equal(ExitCode.NotFound, chmodMissing.Code);
        Assert.Equal(ExitCode.Conflict, mkdirOverFile.Code);
        Assert.Equal(ExitCode.Conflict, deleteDirectory.Code);
        Assert.All([badPath, dotDot, badMode], e => Assert.Equal(ExitCode.Usage, e.Code));
        Assert.Null(OracleStat("/etc/ok"));
        Assert.Equal(before, ImageDigest());
    }

    /// <summary>Decodes an oracle's bytes the way the contract compares text.</summary>
    protected static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
