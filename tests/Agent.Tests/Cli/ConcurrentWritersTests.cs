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
    /// Ten rounds, three at a time: the second writer starts while the first holds the disk (the first is frozen with
    /// SIGSTOP right after the kernel shows its lock, so the overlap does not depend on timing). Exactly one succeeds,
    /// the other exits 6 "in use"; the disk is clean and a clone's target whole.
    /// </summary>
    [Fact]
    public async Task Second_writer_exits_6_while_the_first_holds_the_disk_and_the_first_succeeds()
    {
        (Writer First, Writer Second)[] pairs =
        [
            (Writer.Seal, Writer.Seal), (Writer.Clone, Writer.Clone), (Writer.Seal, Writer.Customize), (Writer.Customize, Writer.Seal),
            (Writer.Seal, Writer.Resize), (Writer.Resize, Writer.Seal), (Writer.Customize, Writer.Resize), (Writer.Resize, Writer.Customize),
            (Writer.Resize, Writer.Resize), (Writer.Customize, Writer.Customize),
        ];

        await InParallelAsync(pairs, pair => RunWhileHeldAsync(NewRound("held"), pair.First, pair.Second));
    }

    /// <summary>
    /// Ten rounds, both writers started at the same instant: whatever the interleaving, each exits 0 or 6 "in use"
    /// (never both writing: the filesystem stays clean, a clone's target is whole), and at least one succeeds.
    /// </summary>
    [Fact]
    public async Task Writers_started_together_never_both_write()
    {
        (Writer First, Writer Second)[] pairs =
        [
            (Writer.Seal, Writer.Seal), (Writer.Clone, Writer.Clone), (Writer.Seal, Writer.Customize), (Writer.Seal, Writer.Resize), (Writer.Customize, Writer.Resize),
        ];

        await InParallelAsync([.. pairs, .. pairs], pair => RunTogetherAsync(NewRound("together"), pair.First, pair.Second));
    }

    private static async Task RunWhileHeldAsync(Round round, Writer first, Writer second)
    {
        using var holder = HeldProcess.Imprint(round.Args(first));
        Assert.True(FileLocks.WaitForLock(round.LockedPath(first), "WRITE", () => holder.IsRunning, TimeSpan.FromSeconds(60)), $"{first} never held its lock");
        holder.Stop();

        using var late = HeldProcess.Imprint(round.Args(second));
        var (lateExit, _, lateError) = await late.WaitAsync();
        holder.Continue();
        var (firstExit, _, firstError) = await holder.WaitAsync();

        Assert.True(firstExit == 0, $"{first}: {firstError}");
        Assert.True(lateExit == (int)ExitCode.Conflict, $"{second} while {first} held the disk: exit {lateExit}: {lateError}");
        Assert.Contains("in use", lateError, StringComparison.Ordinal);
        round.AssertDiskClean(first, second);
    }

    private static async Task RunTogetherAsync(Round round, Writer first, Writer second)
    {
        using var a = HeldProcess.Imprint(round.Args(first));
        using var b = HeldProcess.Imprint(round.Args(second));
        var results = new[] { await a.WaitAsync(), await b.WaitAsync() };

        Assert.All(results, r => Assert.True(r.Exit is 0 or (int)ExitCode.Conflict, $"{first} with {second}: exit {r.Exit}: {r.Stderr}"));
        Assert.Contains(results, r => r.Exit == 0);
        // A clone that starts after the other one finished finds the target there: also exit 6, for that reason.
        Assert.All(results.Where(r => r.Exit != 0), r => Assert.True(
            r.Stderr.Contains("in use", StringComparison.Ordinal) || (first == Writer.Clone && r.Stderr.Contains("already exists", StringComparison.Ordinal)),
            r.Stderr));
        round.AssertDiskClean(first, second);
    }

    /// <summary>Runs the rounds three at a time (each round is two processes) to keep the wall time modest.</summary>
    private static async Task InParallelAsync<T>(IEnumerable<T> items, Func<T, Task> run)
    {
        using var slots = new SemaphoreSlim(3);
        await Task.WhenAll(items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await run(item);
            }
            finally
            {
                slots.Release();
            }
        }));
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
