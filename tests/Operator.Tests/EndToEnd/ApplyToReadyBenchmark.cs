using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Tests.EndToEnd.Support;
using Xunit.Abstractions;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// <c>make bench</c>: apply → Ready for 5 GoldenImages (http, qcow2) and then 20 VmClones (Copy, grown) through the
/// node simulator and the real agent, once with one Job per step (<c>Agent.OneJobPerDisk=false</c>, the behaviour
/// before plans) and once with one Job per disk, in the same run. Reports wall time to all Ready, Jobs and pods created
/// per object and the operator's API requests per object; writes them to IMPRINT_BENCH_OUT (JSON) when set. Asserts
/// only what must hold whatever the machine's speed: everything became Ready, one Job per object with plans.
/// </summary>
public sealed class ApplyToReadyBenchmark(ITestOutputHelper output)
{
    private const string Ns = "bench";
    private const int Goldens = 5;
    private const int Clones = 20;

    [BenchFact]
    public async Task Apply_to_ready_for_20_clones_and_5_goldens_per_step_jobs_then_one_job_per_disk()
    {
        var results = new JsonArray();
        foreach (var oneJob in new[] { false, true })
        {
            results.Add(await MeasureAsync(oneJob));
        }

        var text = results.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(text);
        if (Environment.GetEnvironmentVariable("IMPRINT_BENCH_OUT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.Equal(1.0, (double)results[1]!["clones"]!["jobsPerObject"]!);
        Assert.Equal(1.0, (double)results[1]!["goldens"]!["jobsPerObject"]!);
    }

    private static async Task<JsonObject> MeasureAsync(bool oneJob)
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync(o => o.Agent.OneJobPerDisk = oneJob);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];

        var goldens = await PhaseAsync(cluster, "GoldenImage", Goldens, async i =>
        {
            await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, $"g{i}", images.QcowUrl, "sha512:" + images.QcowSha512));
        }, i => cluster.WaitForGoldenImageAsync($"g{i}", Ns, GoldenImagePhase.Ready, 600));
        var clones = await PhaseAsync(cluster, "VmClone", Clones, async i =>
        {
            var clone = E2eObjects.VmClone(Ns, $"c{i}", $"g{i % Goldens}");
            clone["spec"]!["strategy"] = "Copy";
            clone["spec"]!["target"] = new JsonObject { ["size"] = "160Mi" };
            await cluster.CreateAsync(clone);
        }, i => cluster.WaitForVmCloneAsync($"c{i}", Ns, VmClonePhase.Ready, 600));

        return new JsonObject
        {
            ["mode"] = oneJob ? "one Job per disk" : "one Job per step",
            ["loadAverageAtStart"] = double.Parse(load, CultureInfo.InvariantCulture),
            ["goldens"] = goldens,
            ["clones"] = clones,
        };
    }

    private static async Task<JsonObject> PhaseAsync(ImprintCluster cluster, string kind, int count, Func<int, Task> create, Func<int, Task> ready)
    {
        var changesBefore = cluster.Changes.Count;
        var requestsBefore = cluster.Server.Requests.Count;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await create(i);
        }

        await Task.WhenAll(Enumerable.Range(0, count).Select(ready));
        var elapsed = stopwatch.Elapsed;
        var requests = cluster.Server.Requests.Skip(requestsBefore).Count(r => r.User == ImprintCluster.OperatorUser);
        var added = cluster.Changes.Skip(changesBefore).Where(c => c.Type == "ADDED" && (string?)c.Object["metadata"]?["labels"]?["imprint.dev/owner-kind"] == kind).ToList();
        var jobs = added.Count(c => (string?)c.Object["kind"] == "Job");
        var pods = added.Count(c => (string?)c.Object["kind"] == "Pod");
        return new JsonObject
        {
            ["objects"] = count,
            ["allReadyMs"] = Math.Round(elapsed.TotalMilliseconds),
            ["jobsPerObject"] = (double)jobs / count,
            ["podsPerObject"] = (double)pods / count,
            ["apiRequestsPerObject"] = Math.Round((double)requests / count, 1),
        };
    }
}
