using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// Two <c>imprint</c> processes writing one disk at once (issue: two seals left 3 of 22 filesystems corrupt; two
/// clones to one target deleted each other's .partial). The lock makes one of them exit 6 before it writes anything;
/// e2fsck -fn and sgdisk -v on the result are the oracles. Each round runs on a fresh copy of the 64 MiB sample.
/// </summary>
public sealed class ConcurrentWritersTests(SampleDisk sample) : IClassFixture<SampleDisk>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public enum Writer
    {
        Seal,
        Customize,
        Resize,
        Clone,
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The second writer starts while the first holds the disk (the first is frozen with SIGSTOP right after the
    /// kernel shows its lock, so the overlap does not depend on timing): exactly one succeeds, the other exits 6.
    /// </summary>
    [Theory]
    [InlineData(Writer.Seal, Writer.Seal)]
    [InlineData(Writer.Clone, Writer.Clone)]
    [InlineData(Writer.Seal, Writer.Customize)]
    [InlineData(Writer.Customize, Writer.Seal)]
    [InlineData(Writer.Seal, Writer.Resize)]
    [InlineData(Writer.Resize, Writer.Seal)]
    [InlineData(Writer.Customize, Writer.Resize)]
    [InlineData(Writer.Resize, Writer.Customize)]
    [InlineData(Writer.Resize, Writer.Resize)]
    [InlineData(Writer.Customize, Writer.Customize)]
    public async Task Second_writer_exits_6_while_the_first_holds_the_disk_and_the_first_succeeds(Writer first, Writer second)
    {
        var round = NewRound("held");
        using var holder = HeldProcess.Imprint(round.Args(first));
        Assert.True(FileLocks.WaitForLock(round.LockedPath(first), "WRITE", () => holder.IsRunning, TimeSpan.FromSeconds(60)), "the first writer never held its lock");
        holder.Stop();

        using var late = HeldProcess.Imprint(round.Args(second));
        var (lateExit, _, lateError) = await late.WaitAsync();
        holder.Continue();
        var (firstExit, _, firstError) = await holder.WaitAsync();

        Assert.True(firstExit == 0, firstError);
        Assert.True(lateExit == (int)ExitCode.Conflict, $"second writer exit {lateExit}: {lateError}");
        Assert.Contains("in use", lateError, StringComparison.Ordinal);
        round.AssertDiskClean(first, second);
    }

    /// <summary>
    /// Both writers started at the same instant, two rounds per pair: whatever the interleaving, each exits 0 or 6
    /// (never both writing: the filesystem stays clean), and at least one succeeds.
    /// </summary>
    [Theory]
    [InlineData(Writer.Seal, Writer.Seal)]
    [InlineData(Writer.Clone, Writer.Clone)]
    [InlineData(Writer.Seal, Writer.Customize)]
    [InlineData(Writer.Seal, Writer.Resize)]
    [InlineData(Writer.Customize, Writer.Resize)]
    public async Task Writers_started_together_never_both_write(Writer first, Writer second)
    {
        var rounds = Enumerable.Range(0, 2).Select(i => RunTogetherAsync(NewRound($"together{i}"), first, second));
        await Task.WhenAll(rounds);
    }

    private static async Task RunTogetherAsync(Round round, Writer first, Writer second)
    {
        using var a = HeldProcess.Imprint(round.Args(first));
        using var b = HeldProcess.Imprint(round.Args(second));
        var results = new[] { await a.WaitAsync(), await b.WaitAsync() };

        Assert.All(results, r => Assert.True(r.Exit is 0 or (int)ExitCode.Conflict, $"exit {r.Exit}: {r.Stderr}"));
        Assert.Contains(results, r => r.Exit == 0);
        Assert.All(results.Where(r => r.Exit != 0), r => Assert.Contains("in use", r.Stderr, StringComparison.Ordinal));
        round.AssertDiskClean(first, second);
    }

    private Round NewRound(string name)
    {
        var disk = _temp.File($"{name}-{Guid.NewGuid():N}.raw");
        Sh.Run("cp", "--sparse=always", sample.Path, disk);
        return new Round(sample, disk, disk + ".clone");
    }

    private sealed record Round(SampleDisk Sample, string Disk, string CloneTarget)
    {
        public string[] Args(Writer writer) => writer switch
        {
            Writer.Seal => ["seal", Disk],
            Writer.Customize => ["customize", Disk, "--hostname", "web-1"],
            Writer.Resize => ["resize", Disk, "--size", "96M"],
            Writer.Clone => ["clone", Disk, CloneTarget],
            _ => throw new ArgumentOutOfRangeException(nameof(writer)),
        };

        /// <summary>The file a writer locks: the disk itself, or the clone's TARGET.partial.</summary>
        public string LockedPath(Writer writer) => writer == Writer.Clone ? CloneTarget + ".partial" : Disk;

        public void AssertDiskClean(Writer first, Writer second)
        {
            var written = first == Writer.Clone ? CloneTarget : Disk;
            if (first == Writer.Clone && second == Writer.Clone)
            {
                // The winner's clone is whole (the loser deleted nothing of it) and no work file is left behind.
                Assert.Equal(Sample.Sha256, Sh.Sha256(CloneTarget));
                Assert.False(File.Exists(CloneTarget + ".partial"));
            }

            Sh.AssertGptValid(written);
            Sh.AssertFsckClean(written, TestDisks.PartitionRange(written, 2).Offset);
        }
    }
}
