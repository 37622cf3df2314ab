using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Testing.NodeSimulator.Tests;

public sealed class NodeSimulatorJobTests
{
    private const string Ns = Cluster.Ns;

    [Fact]
    public async Task Inspect_job_completes_with_the_agent_result_as_termination_message()
    {
        await using var cluster = await Cluster.StartAsync();
        var disk = await SampleDisk.PathAsync();
        cluster.Simulator.SeedPvc(Ns, "golden-disk", disk);
        var expected = await RunAgentDirectlyAsync(cluster.Simulator.AgentPath, "inspect", disk, "--json");

        var job = await cluster.CreateJobAsync(AgentJob.Build("golden-inspect-1",
            AgentJob.Args("inspect", "/disks/target/disk.img", "--json"), [("target", "golden-disk", VolumeMode.Filesystem)]));
        var done = await cluster.WaitForJobAsync("golden-inspect-1", "Complete");

        var pod = Assert.Single(cluster.PodsOf("golden-inspect-1"));
        var terminated = pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        var result = JsonNode.Parse((string)terminated["message"]!)!;
        Assert.Equal("Succeeded", (string?)pod["status"]!["phase"]);
        Assert.Equal(0, (int)terminated["exitCode"]!);
        Assert.Equal("Completed", (string?)terminated["reason"]);
        Assert.True((bool)result["ok"]!);
        Assert.True(JsonNode.DeepEquals(expected["guest"], result["guest"]), $"{expected["guest"]} vs {result["guest"]}");
        Assert.True(JsonNode.DeepEquals(expected["disk"]!["partitions"], result["disk"]!["partitions"]));
        Assert.Equal(1, (int)done["status"]!["succeeded"]!);
        Assert.NotNull(done["status"]!["completionTime"]);
        Assert.NotNull(done["status"]!["startTime"]);
        Assert.Null(done["status"]!["active"]);

        // The pod as the job controller makes it.
        Assert.Matches(new Regex("^golden-inspect-1-[a-z0-9]{5}$"), (string)pod["metadata"]!["name"]!);
        var labels = pod["metadata"]!["labels"]!;
        Assert.Equal("golden-inspect-1", (string?)labels["batch.kubernetes.io/job-name"]);
        Assert.Equal((string?)job["metadata"]!["uid"], (string?)labels["controller-uid"]);
        Assert.Equal("inspect", (string?)labels["imprint.dev/step"]);
        var owner = pod["metadata"]!["ownerReferences"]![0]!;
        Assert.True((bool)owner["controller"]!);
        Assert.Equal((string?)job["metadata"]!["uid"], (string?)owner["uid"]);
        Assert.Equal("127.0.0.1", (string?)pod["status"]!["podIP"]);

        // Progress lines reached the pod log; the host command line points at the claim's folder.
        var log = await cluster.Client.GetStringAsync($"/api/v1/namespaces/{Ns}/pods/{pod["metadata"]!["name"]}/log");
        Assert.Contains(log.Split('\n'), line => line.StartsWith('{'));
        var run = Assert.Single(cluster.Simulator.Runs);
        Assert.Equal(cluster.Simulator.AgentPath, run.HostCommand[0]);
        Assert.Contains(cluster.Simulator.DiskPath(Ns, "golden-disk"), run.HostCommand);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Malformed_disk_fails_every_pod_with_exit_4_until_the_backoff_limit()
    {
        await using var cluster = await Cluster.StartAsync();
        var garbage = Path.Combine(cluster.Root, "garbage.img");
        await File.WriteAllBytesAsync(garbage, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))]);
        cluster.Simulator.SeedPvc(Ns, "broken", garbage);

        await cluster.CreateJobAsync(AgentJob.Build("broken-inspect", AgentJob.Args("inspect", "/disks/target/disk.img"),
            [("target", "broken", VolumeMode.Filesystem)], backoffLimit: 2));
        var failed = await cluster.WaitForJobAsync("broken-inspect", "Failed");

        var pods = cluster.PodsOf("broken-inspect");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, pod =>
        {
            var terminated = pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
            Assert.Equal("Failed", (string?)pod["status"]!["phase"]);
            Assert.Equal(4, (int)terminated["exitCode"]!);
            Assert.Equal("Error", (string?)terminated["reason"]);
            Assert.Equal(4, (int)JsonNode.Parse((string)terminated["message"]!)!["exitCode"]!);
        });
        var condition = (failed["status"]!["conditions"] as JsonArray)!.Single(c => (string?)c!["type"] == "Failed")!;
        Assert.Equal("BackoffLimitExceeded", (string?)condition["reason"]);
        Assert.Equal(3, (int)failed["status"]!["failed"]!);
        Assert.Null(failed["status"]!["succeeded"]);
        Assert.Null(failed["status"]!["completionTime"]);
        Assert.Equal(3, cluster.Simulator.Runs.Count(r => r.ExitCode == 4));
    }

    [Fact]
    public async Task Failing_container_without_termination_message_reports_the_log_tail()
    {
        await using var cluster = await Cluster.StartAsync();

        await cluster.CreateJobAsync(AgentJob.Build("shell", ["-c", "for i in $(seq 1 100); do echo line-$i; done; echo oops >&2; exit 3"], [], command: ["sh"]));
        await cluster.WaitForJobAsync("shell", "Failed");

        var terminated = cluster.PodsOf("shell")[0]["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        var message = (string)terminated["message"]!;
        var lines = message.Split('\n');
        Assert.Equal(3, (int)terminated["exitCode"]!);
        Assert.Equal(80, lines.Length);
        Assert.Equal("line-22", lines[0]);
        Assert.Equal("oops", lines[^1]);
    }

    [Fact]
    public async Task Injected_failure_ends_the_pod_with_an_agent_error_result_without_running_it()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.SeedPvc(Ns, "disk", await SampleDisk.PathAsync());
        cluster.Simulator.FailJobs(j => (string?)j["metadata"]!["labels"]!["imprint.dev/step"] == "inspect", 7, "qemu-img: boom", count: 1);
        var args = AgentJob.Args("inspect", "/disks/target/disk.img");

        await cluster.CreateJobAsync(AgentJob.Build("first", args, [("target", "disk", VolumeMode.Filesystem)]));
        await cluster.WaitForJobAsync("first", "Failed");
        await cluster.CreateJobAsync(AgentJob.Build("second", args, [("target", "disk", VolumeMode.Filesystem)]));
        await cluster.WaitForJobAsync("second", "Complete");

        var terminated = cluster.PodsOf("first")[0]["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        var result = JsonNode.Parse((string)terminated["message"]!)!;
        Assert.Equal(7, (int)terminated["exitCode"]!);
        Assert.False((bool)result["ok"]!);
        Assert.Equal("qemu-img: boom", (string?)result["error"]);
        Assert.Equal("inspect", (string?)result["command"]);
        Assert.Equal([true, false], cluster.Simulator.Runs.Select(r => r.Injected));
    }

    [Fact]
    public async Task Secret_and_config_map_items_of_the_projected_input_volume_reach_the_process_as_files()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateAsync($"/api/v1/namespaces/{Ns}/secrets",
            JsonNode.Parse("""{"metadata":{"name":"creds"},"type":"Opaque","data":{"password":"czNjcjN0LXB3"}}""")!.AsObject());
        await cluster.CreateAsync($"/api/v1/namespaces/{Ns}/configmaps",
            JsonNode.Parse("""{"metadata":{"name":"spec"},"data":{"customize.json":"{\"hostname\":\"web-01\"}"}}""")!.AsObject());
        var sources = JsonNode.Parse("""
            [{"configMap":{"name":"spec","items":[{"key":"customize.json","path":"customize.json"}]}},
             {"secret":{"name":"creds","items":[{"key":"password","path":"secrets/root-password"}]}}]
            """)!.AsArray();

        await cluster.CreateJobAsync(AgentJob.Build("reader", ["-c", "cat \"$1\" \"$2\" > \"$3\"", "sh",
            "/etc/imprint/input/secrets/root-password", "/etc/imprint/input/customize.json", "/dev/termination-log"], [], command: ["sh"], inputSources: sources));
        await cluster.WaitForJobAsync("reader", "Complete");

        var terminated = cluster.PodsOf("reader")[0]["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal("s3cr3t-pw{\"hostname\":\"web-01\"}", (string?)terminated["message"]);
    }

    [Fact]
    public async Task Pod_waits_with_failed_mount_until_its_secret_exists()
    {
        await using var cluster = await Cluster.StartAsync();
        var sources = JsonNode.Parse("""[{"secret":{"name":"late","items":[{"key":"k","path":"k"}]}}]""")!.AsArray();
        await cluster.CreateJobAsync(AgentJob.Build("waits", ["-c", "cat \"$1\" > \"$2\"", "sh", "/etc/imprint/input/k", "/dev/termination-log"], [],
            command: ["sh"], inputSources: sources));

        var pod = await cluster.WaitAsync(() => cluster.PodsOf("waits").FirstOrDefault(), p => p["status"]?["containerStatuses"] is not null, "pod waiting");
        var failedMount = Assert.Single(cluster.EventsFor((string)pod["metadata"]!["name"]!, "FailedMount"));
        Assert.Equal("Pending", (string?)pod["status"]!["phase"]);
        Assert.Equal("ContainerCreating", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]);
        Assert.Equal("MountVolume.SetUp failed for volume \"input\" : secret \"late\" not found", (string?)failedMount["message"]);
        Assert.Empty(cluster.Simulator.Runs);

        await cluster.CreateAsync($"/api/v1/namespaces/{Ns}/secrets", JsonNode.Parse("""{"metadata":{"name":"late"},"data":{"k":"aGVsbG8="}}""")!.AsObject());
        await cluster.WaitForJobAsync("waits", "Complete");
        Assert.Equal("hello", (string?)cluster.PodsOf("waits")[0]["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["message"]);
    }

    [Fact]
    public async Task Deleting_a_running_job_with_propagation_kills_its_process()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateJobAsync(AgentJob.Build("sleeper", ["60"], [], command: ["sleep"]));
        await cluster.WaitAsync(() => cluster.PodsOf("sleeper").FirstOrDefault(), p => (string?)p["status"]?["phase"] == "Running", "running pod");

        var stopwatch = Stopwatch.StartNew();
        await cluster.DeleteAsync($"/apis/batch/v1/namespaces/{Ns}/jobs/sleeper?propagationPolicy=Background");
        var run = await cluster.WaitAsync(() => cluster.Simulator.Runs.FirstOrDefault(), r => r.ExitCode is not null, "killed run");

        Assert.True(run.Killed);
        Assert.Equal(128 + 15, run.ExitCode); // SIGTERM
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Empty(cluster.PodsOf("sleeper"));
    }

    [Fact]
    public async Task Orphaning_delete_of_a_running_job_kills_the_process_and_the_kept_pod_reports_it()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateJobAsync(AgentJob.Build("orphan", ["60"], [], command: ["sleep"]));
        await cluster.WaitAsync(() => cluster.PodsOf("orphan").FirstOrDefault(), p => (string?)p["status"]?["phase"] == "Running", "running pod");

        await cluster.DeleteAsync($"/apis/batch/v1/namespaces/{Ns}/jobs/orphan");
        var pod = await cluster.WaitAsync(() => cluster.PodsOf("orphan").FirstOrDefault(), p => (string?)p["status"]?["phase"] == "Failed", "failed orphan");

        Assert.Null(pod["metadata"]!["ownerReferences"]);
        Assert.Equal(143, (int)pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!);
    }

    [Fact]
    public async Task Active_deadline_kills_the_pod_and_fails_the_job_with_deadline_exceeded()
    {
        await using var cluster = await Cluster.StartAsync();

        await cluster.CreateJobAsync(AgentJob.Build("slow", ["60"], [], deadlineSeconds: 1, command: ["sleep"]));
        var failed = await cluster.WaitForJobAsync("slow", "Failed");
        var run = await cluster.WaitAsync(() => cluster.Simulator.Runs.FirstOrDefault(), r => r.ExitCode is not null, "killed run");

        var condition = (failed["status"]!["conditions"] as JsonArray)!.Single(c => (string?)c!["type"] == "Failed")!;
        Assert.Equal("DeadlineExceeded", (string?)condition["reason"]);
        Assert.Equal(1, (int)failed["status"]!["failed"]!);
        Assert.True(run.Killed);
        Assert.Empty(cluster.PodsOf("slow"));
    }

    private static async Task<JsonNode> RunAgentDirectlyAsync(string agent, params string[] args)
    {
        var start = new ProcessStartInfo(agent) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return JsonNode.Parse(output)!;
    }
}
