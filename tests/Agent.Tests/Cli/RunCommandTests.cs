using System.Text;
using System.Text.Json;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Cli;

/// <summary><c>imprint run PLAN.json</c> on real images: the steps an agent Job runs, in one process, as a user can run them.</summary>
public sealed class RunCommandTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Plan_copies_customizes_and_grows_a_clone_in_one_process_with_one_result_per_step_and_named_progress()
    {
        var (golden, offset) = Golden();
        var hash = Sh.Sha256(golden);
        var target = _temp.File("clone.raw");
        await File.WriteAllTextAsync(_temp.File("customize.json"), "{\"hostname\":\"web-01\"}");
        var plan = Plan(
            ("copy", ["clone", golden, target, "--overwrite", "--source-format", "raw"]),
            ("customize", ["customize", target, "--spec", _temp.File("customize.json")]),
            ("resize", ["resize", target, "--size", "96M"]));
        var resultFile = _temp.File("termination-log");

        var (exit, stdout, stderr) = await CliRun.RunAsync("run", plan, "--result-file", resultFile, "--progress", "lines");

        Assert.Equal(0, exit);
        Assert.Equal(hash, Sh.Sha256(golden));
        Assert.Equal(96 * MiB, new FileInfo(target).Length);
        Sh.AssertGptValid(target);
        Sh.AssertFsckClean(target, offset);
        Assert.Equal("web-01\n", Sh.DebugfsCat(target, offset, "/etc/hostname"));
        Assert.Equal(GrowthOracle.AssertFillsDisk(target, 2, gpt: true), ResultOf(stderr, "resize").Resize!.NewFilesystemSize);

        var written = await File.ReadAllTextAsync(resultFile);
        Assert.True(Encoding.UTF8.GetByteCount(written) <= ResultWriter.TerminationLogLimit);
        var result = ResultWriter.Deserialize(written);
        Assert.Equal(("run", true, 0, null), (result.Command, result.Ok, result.ExitCode, result.FailedStep));
        Assert.Equal(["copy", "customize", "resize"], result.Steps!.Select(s => s.Step));
        Assert.Equal(["clone", "customize", "resize"], result.Steps!.Select(s => s.Command));
        Assert.All(result.Steps!, s => Assert.True(s.Ok));
        Assert.Equal(new FileInfo(golden).Length, result.Steps![0].Copy!.SourceSize);
        Assert.Contains(result.Steps[1].SshHostKeys!, k => k.Type == "ed25519");
        Assert.Equal(96 * MiB, result.Steps[2].Resize!.NewDiskSize);
        Assert.Contains("step copy (clone): ok", stdout, StringComparison.Ordinal);

        // Each step is announced on the log before it runs, and the copy's own progress lines carry its name.
        var progress = ProgressLines(stderr).ToList();
        Assert.Equal(["copy", "customize", "resize"], progress.Where(p => p.Fraction == 0 && p.BytesTotal == 0).Select(p => p.Step));
        Assert.Contains(progress, p => p is { Step: "copy", Stage: "copy", Fraction: 1 });
        var order = progress.Select(p => Order(p.Step)).ToList();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task Plan_stops_at_the_first_failing_step_with_its_exit_code_and_says_the_disk_was_left_as_it_was()
    {
        var (golden, offset) = Golden();
        var target = _temp.File("clone.raw");
        var plan = Plan(
            ("copy", ["clone", golden, target, "--overwrite"]),
            ("shrink", ["resize", target, "--size", "16M"]),
            ("fingerprint", ["fingerprint", target]));
        var resultFile = _temp.File("termination-log");

        var (exit, _, stderr) = await CliRun.RunAsync("run", plan, "--result-file", resultFile, "--progress", "lines");

        Assert.Equal((int)ExitCode.Conflict, exit);
        var result = ResultWriter.Deserialize(await File.ReadAllTextAsync(resultFile));
        Assert.Equal(("run", false, (int)ExitCode.Conflict, "shrink"), (result.Command, result.Ok, result.ExitCode, result.FailedStep));
        Assert.StartsWith("step shrink (resize): ", result.Error, StringComparison.Ordinal);
        Assert.Equal(["copy", "shrink"], result.Steps!.Select(s => s.Step));
        Assert.True(result.Steps![0].Ok);
        Assert.Equal((false, (int)ExitCode.Conflict, true), (result.Steps[1].Ok, result.Steps[1].ExitCode, result.Steps[1].DiskUnchanged));
        Assert.DoesNotContain(ProgressLines(stderr), p => p.Step == "fingerprint");
        Assert.Equal(new FileInfo(golden).Length, new FileInfo(target).Length);
        Sh.AssertFsckClean(target, offset);
    }

    [Fact]
    public async Task Plan_whose_step_changed_the_disk_before_failing_does_not_claim_it_unchanged()
    {
        var (golden, _) = Golden();
        var target = _temp.File("clone.raw");
        File.WriteAllBytes(target, [1, 2, 3]);
        // The copy replaces the target, then the second copy fails: its source is gone.
        var plan = Plan(("copy", ["clone", golden, target, "--overwrite"]), ("again", ["clone", _temp.File("missing.raw"), target, "--overwrite"]));

        var (exit, stdout, _) = await CliRun.RunAsync("run", plan, "--json");

        Assert.Equal((int)ExitCode.NotFound, exit);
        var result = ResultWriter.Deserialize(stdout);
        Assert.Equal("again", result.FailedStep);
        Assert.True(result.Steps![1].DiskUnchanged);
        Assert.Equal(new FileInfo(golden).Length, new FileInfo(target).Length);

        // A step that writes then fails: resize grows the file, then is refused its partition (there is no 9th).
        var grow = Plan(("grow", ["resize", target, "--size", "80M", "--partition", "9"]));
        var (growExit, growOut, _) = await CliRun.RunAsync("run", grow, "--json");
        var growResult = ResultWriter.Deserialize(growOut);
        Assert.NotEqual(0, growExit);
        Assert.Equal(new FileInfo(target).Length == new FileInfo(golden).Length, growResult.Steps![0].DiskUnchanged);
    }

    [Theory]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v2\",\"steps\":[{\"name\":\"a\",\"args\":[\"inspect\",\"X\"]}]}", "apiVersion")]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v1\",\"steps\":[]}", "no steps")]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v1\",\"steps\":[{\"name\":\"a\",\"args\":[\"run\",\"X\"]}]}", "'run' is not a command")]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v1\",\"steps\":[{\"name\":\"a\",\"args\":[\"inspect\",\"X\"]},{\"name\":\"a\",\"args\":[\"inspect\",\"X\"]}]}", "used twice")]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v1\",\"steps\":[{\"name\":\"a\",\"args\":[\"inspect\",\"X\",\"--json\"]}]}", "--json belongs to the plan")]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v1\",\"steps\":[{\"name\":\"A B\",\"args\":[\"inspect\",\"X\"]}]}", "lower-case")]
    [InlineData("{\"apiVersion\":\"imprint.dev/plan/v1\",\"steps\":[{\"name\":\"a\",\"argz\":[\"inspect\",\"X\"]}]}", "not valid JSON")]
    public async Task Bad_plan_is_refused_with_usage_before_any_step_runs(string json, string expected)
    {
        var (golden, _) = Golden();
        var target = _temp.File("clone.raw");
        // A valid first step that would create the target: nothing runs when the plan is refused.
        var plan = _temp.File("plan.json");
        await File.WriteAllTextAsync(plan, json.Replace("\"X\"", JsonSerializer.Serialize(golden), StringComparison.Ordinal));

        var (exit, _, stderr) = await CliRun.RunAsync("run", plan);

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("imprint run: step", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Missing_plan_file_is_not_found()
    {
        var (exit, _, stderr) = await CliRun.RunAsync("run", _temp.File("nope.json"));

        Assert.Equal((int)ExitCode.NotFound, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    private (string Path, long Offset) Golden()
    {
        var golden = _temp.File("golden.raw");
        TestDisks.CreateGpt(golden, 48, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var offset = TestDisks.MakeExt(golden, 2, "ext4", GuestTrees.DebianLike(_temp.File("tree")));
        return (golden, offset);
    }

    private string Plan(params (string Name, string[] Args)[] steps)
    {
        var path = _temp.File("plan.json");
        var document = new { apiVersion = "imprint.dev/plan/v1", steps = steps.Select(s => new { name = s.Name, args = s.Args }) };
        File.WriteAllText(path, JsonSerializer.Serialize(document));
        return path;
    }

    private static int Order(string? step) => step switch { "copy" => 0, "customize" => 1, _ => 2 };

    private static AgentResult ResultOf(string log, string step) =>
        log.Split('\n').Where(l => l.StartsWith("{\"stepResult\":", StringComparison.Ordinal))
            .Select(l => ResultWriter.Deserialize(JsonDocument.Parse(l).RootElement.GetProperty("stepResult").GetRawText()))
            .Single(r => r.Step == step);

    private static IEnumerable<(string? Step, string? Stage, double Fraction, long BytesTotal)> ProgressLines(string log) =>
        log.Split('\n').Where(l => l.StartsWith("{\"progress\":", StringComparison.Ordinal)).Select(l =>
        {
            var p = JsonDocument.Parse(l).RootElement.GetProperty("progress");
            return (p.TryGetProperty("step", out var s) ? s.GetString() : null, p.GetProperty("stage").GetString(), p.GetProperty("fraction").GetDouble(), p.GetProperty("bytesTotal").GetInt64());
        });
}
