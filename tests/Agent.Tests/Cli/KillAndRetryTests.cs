using System.Globalization;
using System.Text;
using System.Text.Json;
using Imprint.Agent.Tests.Support;
using Xunit.Abstractions;

namespace Imprint.Agent.Tests.Cli;

/// <summary>
/// Kubernetes stops agent pods at any instant: SIGTERM, then SIGKILL to every process of the pod after the grace period
/// (pod deletion, node drain, activeDeadlineSeconds). These tests run the real <c>imprint</c> executable, stop it at
/// seeded random instants spread over the command's measured runtime (and inside the e2fsprogs tool it runs, where the
/// disk is written), then run the same command again as the controller's retry does. The retry must succeed and leave
/// what an uninterrupted run leaves: e2fsck -fn and sgdisk -v clean, the same partition end (sfdisk --json), the same
/// filesystem block count (dumpe2fs -h) and the same guest files, apart from random keys and ids.
/// </summary>
public sealed class KillAndRetryTests(ITestOutputHelper output, KillAndRetryTests.Golden golden) : IClassFixture<KillAndRetryTests.Golden>
{
    private const int Seed = 20261205;

    private static readonly string[] ComparedFiles =
    [
        "/etc/hostname", "/etc/hosts", "/etc/motd", "/opt/payload.txt", "/var/log/syslog",
    ];

    [Fact]
    public async Task Resize_killed_at_random_instants_is_completed_by_the_retry() =>
        await KillAndRetryAsync("resize", disk => ["resize", disk, "--size", "1G"], sigkills: 16, sigterms: 2, tool: "resize2fs");

    [Fact]
    public async Task Seal_killed_at_random_instants_is_completed_by_the_retry() =>
        await KillAndRetryAsync("seal", disk => ["seal", disk], sigkills: 12, sigterms: 1, tool: "debugfs", toolArgument: "-w");

    [Fact]
    public async Task Customize_killed_at_random_instants_is_completed_by_the_retry() =>
        await KillAndRetryAsync("customize", disk => ["customize", disk, "--spec", golden.SpecPath], sigkills: 12, sigterms: 1, tool: "debugfs", toolArgument: "-w");

    [Fact]
    public async Task Clone_killed_at_random_instants_is_completed_by_the_retry() =>
        await KillAndRetryAsync(
            "clone",
            disk => ["clone", golden.Path, disk + ".clone", "--overwrite", "--size", "1G", "--spec", golden.SpecPath],
            sigkills: 10,
            sigterms: 1,
            tool: "resize2fs",
            resultOf: disk => disk + ".clone");

    /// <summary>
    /// 1 KiB blocks run without an undo file: the retry repairs the filesystem (e2fsck -fy), then grows it again. resize2fs
    /// grows this one in ~50 ms, so the points inside it fall in its first 60 ms.
    /// </summary>
    [Fact]
    public async Task Resize_of_a_1KiB_block_filesystem_killed_at_random_instants_is_repaired_and_completed_by_the_retry() =>
        await KillAndRetryAsync("resize-1k", disk => ["resize", disk, "--size", "1G"], sigkills: 8, sigterms: 0, tool: "resize2fs", goldenImage: golden.OneKiBlockPath, toolWindow: TimeSpan.FromMilliseconds(60));

    [Fact]
    public async Task Seal_of_a_1KiB_block_filesystem_killed_at_random_instants_is_repaired_and_completed_by_the_retry() =>
        await KillAndRetryAsync("seal-1k", disk => ["seal", disk], sigkills: 6, sigterms: 0, tool: "debugfs", toolArgument: "-w", goldenImage: golden.OneKiBlockPath);

    /// <summary>The 2 GiB → 15 TiB in-place resize of the issue (sparse; the host filesystem must allow a 15 TiB file).</summary>
    [Fact]
    public async Task Resize_to_15T_killed_inside_resize2fs_is_completed_by_the_retry()
    {
        if (Environment.GetEnvironmentVariable("IMPRINT_SLOW_TESTS") != "1")
        {
            output.WriteLine("set IMPRINT_SLOW_TESTS=1 to run the 2G → 15T case");
            return;
        }

        using var temp = new TempDirectory();
        var big = temp.File("big.raw");
        TestDisks.CreateGpt(big, 2048, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        TestDisks.MakeExt(big, 2, tree: GuestTrees.DebianLike(temp.File("tree")));
        await KillAndRetryAsync("resize-15T", disk => ["resize", disk, "--size", "15T"], sigkills: 6, sigterms: 2, tool: "resize2fs", goldenImage: big);
    }

    private async Task KillAndRetryAsync(string name, Func<string, string[]> command, int sigkills, int sigterms, string tool, string? toolArgument = null, Func<string, string>? resultOf = null, string? goldenImage = null, TimeSpan? toolWindow = null)
    {
        var window = toolWindow ?? TimeSpan.FromMilliseconds(300);
        var source = goldenImage ?? golden.Path;
        resultOf ??= disk => disk;
        using var temp = new TempDirectory();
        var random = new Random(Seed + name.Sum(c => c));

        // Reference: an uninterrupted run, timed, whose outcome every retry must reproduce.
        var reference = temp.File("reference.raw");
        Copy(source, reference);
        var (exit, _, stderr, elapsed) = await KillableRun.RunAsync(command(reference));
        Assert.True(exit == 0, $"uninterrupted {name} failed (exit {exit}): {stderr}");
        var expected = Outcome.Of(resultOf(reference));
        output.WriteLine($"{name}: uninterrupted run {elapsed.TotalMilliseconds:F0} ms; {expected}");

        var results = new List<string>();
        for (var i = 0; i < sigkills + sigterms; i++)
        {
            var terminate = i >= sigkills;
            var disk = temp.File($"kill-{i}.raw");
            Copy(source, disk);
            using var run = KillableRun.Start(command(disk));

            // Half the points are spread uniformly over the whole run; the others land inside the tool that writes.
            string where;
            if (i % 2 == 0 && await run.WaitForToolAsync(tool, toolArgument, elapsed * 2))
            {
                var delay = TimeSpan.FromMilliseconds(Math.Pow(random.NextDouble(), 2) * window.TotalMilliseconds);
                await Task.Delay(delay);
                where = $"{tool}+{delay.TotalMilliseconds:F0}ms";
            }
            else
            {
                var delay = elapsed * random.NextDouble();
                await Task.Delay(delay);
                where = $"{delay.TotalMilliseconds:F0}ms";
            }

            if (terminate)
            {
                run.Terminate();
            }
            else
            {
                run.KillGroup();
            }

            var (killedExit, _, killedStderr) = await run.WaitAsync();
            if (terminate)
            {
                Assert.True(killedExit is 0 or 130, $"{name} SIGTERM at {where}: exit {killedExit}, expected 130 (or 0 when it had finished): {killedStderr}");
            }

            // A record left behind shows the kill landed inside the writing step (rolled back or repaired by the retry).
            var inStep = File.Exists(disk + ".imprint-journal");
            var retried = killedExit != 0;
            if (retried)
            {
                var retry = await KillableRun.RunAsync(command(disk));
                Assert.True(retry.Exit == 0, $"{name} {(terminate ? "SIGTERM" : "SIGKILL")} at {where} (exit {killedExit}): the retry failed with exit {retry.Exit}: {retry.Stderr}");
            }

            var actual = Outcome.Of(resultOf(disk));
            Assert.True(expected == actual, $"{name} {(terminate ? "SIGTERM" : "SIGKILL")} at {where}: after the retry\n{actual}\ndiffers from the uninterrupted run\n{expected}");
            results.Add($"{(terminate ? "TERM" : "KILL")}@{where}→{killedExit}{(inStep ? "+record" : string.Empty)}{(retried ? "+retry" : string.Empty)}");
            File.Delete(disk);
            File.Delete(resultOf(disk));
        }

        output.WriteLine($"{name}: {string.Join(", ", results)}");

        // A point that lands after the command finished checks nothing new; enough must really interrupt it.
        // Under load the command's timing drifts from the measured run (a CI machine shared by two test projects saw 7 of
        // 16 resize kills land), so a quarter is asked: enough to prove the points are not all after the end.
        Assert.True(results.Count(r => r.Contains("→137", StringComparison.Ordinal)) >= Math.Max(1, sigkills / 4), $"{name}: too few kills interrupted the command: {string.Join(", ", results)}");
    }

    private static void Copy(string from, string to) => Sh.Run("cp", "--sparse=always", from, to);

    /// <summary>
    /// What a run leaves, read by the tools: partition end, filesystem block count, e2fsck/sgdisk verdicts and guest
    /// file contents. Random keys and ids are left out (machine-id and host keys are compared by presence only).
    /// </summary>
    private sealed record Outcome(long DiskLength, long PartitionEnd, long BlockCount, string Fsck, string Gpt, string Files, string Leftovers)
    {
        public static Outcome Of(string disk)
        {
            var (offset, length) = TestDisks.PartitionRange(disk, 2);
            var target = $"{disk}?offset={offset.ToString(CultureInfo.InvariantCulture)}";
            var fsck = Sh.RunResult("e2fsck", ["-fn", target], accept: [0, 1, 2, 4, 8, 12]);
            var gpt = Sh.RunResult("sgdisk", ["-v", disk], accept: [0, 1, 2, 3, 4]);
            var dumpe2fs = Sh.RunResult("dumpe2fs", ["-h", target], accept: [0, 1]).StandardOutput;
            var blockCount = dumpe2fs.Split('\n').FirstOrDefault(l => l.StartsWith("Block count:", StringComparison.Ordinal)) ?? "Block count: -1";
            var files = new StringBuilder();
            foreach (var path in ComparedFiles)
            {
                var cat = Sh.RunResult("debugfs", ["-R", $"cat \"{path}\"", target], accept: [0, 1]);
                files.Append(path).Append('=').Append(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(cat.StandardOutput)))[..12]).Append(' ');
            }

            foreach (var dir in new[] { "/etc/ssh", "/var/log", "/etc", "/lost+found" })
            {
                // "ls -p" lines are /inode/mode/uid/gid/name/size/; inode 0 marks a removed entry debugfs still prints.
                var ls = Sh.RunResult("debugfs", ["-R", $"ls -p \"{dir}\"", target], accept: [0, 1]).StandardOutput;
                var names = ls.Split('\n').Select(l => l.Split('/')).Where(f => f.Length > 5 && f[1] != "0").Select(f => f[5]).Order(StringComparer.Ordinal);
                files.Append(dir).Append("=[").AppendJoin(',', names).Append("] ");
            }

            var folder = Path.GetDirectoryName(disk)!;
            var leftovers = string.Join(',', Directory.EnumerateFiles(folder, Path.GetFileName(disk) + ".*").Select(f => f[disk.Length..]).Order(StringComparer.Ordinal));
            return new Outcome(
                new FileInfo(disk).Length,
                offset + length,
                long.Parse(blockCount["Block count:".Length..].Trim(), CultureInfo.InvariantCulture),
                fsck.ExitStatus == 0 ? "clean" : $"exit {fsck.ExitStatus}: {Tail(fsck.StandardOutput)}",
                gpt.StandardOutput.Contains("No problems found", StringComparison.Ordinal) ? "valid" : Tail(gpt.StandardOutput),
                files.ToString(),
                leftovers);
        }

        private static string Tail(string text) => text.Length <= 600 ? text : text[^600..];
    }

    /// <summary>A 256 MiB GPT guest (BIOS-boot + ext4 root) with enough files that seal and customize write for a while.</summary>
    public sealed class Golden : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public Golden()
        {
            Path = _temp.File("golden.raw");
            var tree = GuestTrees.DebianLike(_temp.File("tree"));
            GuestTrees.Write(tree, "etc/motd", "golden motd\n");
            for (var i = 0; i < 600; i++)
            {
                GuestTrees.Write(tree, $"var/log/app{i}.log", new string('x', 100 + i));
            }

            TestDisks.CreateGpt(Path, 256, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
            // 4 KiB blocks, as real images have: ExtUndoJournal leaves 1 KiB-block filesystems without an undo file.
            TestDisks.MakeExt(Path, 2, tree: tree, extra: ["-b", "4096"]);
            OneKiBlockPath = _temp.File("golden-1k.raw");
            TestDisks.CreateGpt(OneKiBlockPath, 208, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
            TestDisks.MakeExt(OneKiBlockPath, 2, tree: tree, extra: ["-b", "1024"]);
            SpecPath = _temp.File("spec.json");
            var payload = string.Concat(Enumerable.Range(0, 6000).Select(i => $"line {i} of the payload\n"));
            File.WriteAllText(SpecPath, JsonSerializer.Serialize(new
            {
                hostname = "killed-01",
                sshHostKeys = "Keep",
                files = new object[]
                {
                    new { path = "/opt/payload.txt", content = payload },
                    new { path = "/etc/motd", content = "customized motd\n" },
                },
            }));
        }

        public string Path { get; }

        public string SpecPath { get; }

        /// <summary>The same guest on a ~200 MiB ext4 with 1 KiB blocks, which runs without an undo file.</summary>
        public string OneKiBlockPath { get; }

        public void Dispose() => _temp.Dispose();
    }
}
