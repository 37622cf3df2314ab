using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// A GoldenImage's failure paths with the real agent importing from the sample HTTP server on 127.0.0.1: a checksum
/// that does not match, a URL that answers 404, a spec the controller cannot size, and a source claim that is not
/// there yet. Nothing here is injected: the agent's own exit codes and messages drive the status.
/// </summary>
public sealed class GoldenImageFailureTests
{
    private const string Ns = "images";

    [Fact]
    public async Task Checksum_mismatch_fails_the_golden_image_as_malformed_without_retries()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        var wrong = "sha512:" + new string('0', 128);

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "bad-sum", images.QcowUrl, wrong));
        var golden = await cluster.WaitForGoldenImageAsync("bad-sum", Ns, GoldenImagePhase.Failed);

        var status = golden.Status!;
        Assert.Equal("MalformedImage", status.Reason);
        Assert.Contains("checksum mismatch", status.Message, StringComparison.Ordinal);
        Assert.Contains("sha512:" + images.QcowSha512, status.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 4", status.Message, StringComparison.Ordinal);
        Assert.Equal(0, status.RetryCount ?? 0);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "MalformedImage", golden.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "MalformedImage", golden.Metadata.Generation);
        var run = Assert.Single(E2eAssert.Runs(cluster, Ns, "bad-sum"));
        Assert.Equal(("bad-sum-plan-a0", 4, false), (run.Job, run.ExitCode, run.Injected));
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "bad-sum", "Warning"));
        Assert.Equal("MalformedImage", (string?)warning["reason"]);
        Assert.Contains("checksum mismatch", E2eAssert.Note(warning), StringComparison.Ordinal);
        // A mismatch leaves nothing behind on the claim.
        Assert.False(File.Exists(cluster.Simulator.DiskPath(Ns, "bad-sum-golden")));

        // Editing a mutable field of the Failed image is observed (GitOps tools wait for observedGeneration) and redoes nothing.
        await cluster.Client.PatchAsync<V1Alpha1GoldenImage>("bad-sum", Ns,
            new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["sharing"] = System.Text.Json.Nodes.JsonNode.Parse("""{"namespaces":["vms"]}""") } });
        var edited = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("bad-sum", Ns), g => g.Status?.ObservedGeneration == g.Metadata.Generation,
            "status.observedGeneration caught up with the edit", 10);
        Assert.Equal(golden.Metadata.Generation + 1, edited.Metadata.Generation);
        Assert.Equal((GoldenImagePhase.Failed, "MalformedImage"), (edited.Status!.Phase!.Value, edited.Status.Reason));
        E2eAssert.Condition(edited.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "MalformedImage", edited.Metadata.Generation);
        E2eAssert.Condition(edited.Status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "MalformedImage", edited.Metadata.Generation);
        Assert.Single(E2eAssert.Runs(cluster, Ns, "bad-sum"));
    }

    [Fact]
    public async Task Url_that_answers_404_is_retried_then_the_golden_image_fails()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        var missing = new Uri(images.BaseAddress, "no-such-image.qcow2");

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "gone", missing, "sha512:" + images.QcowSha512));
        var golden = await cluster.WaitForGoldenImageAsync("gone", Ns, GoldenImagePhase.Failed);

        var status = golden.Status!;
        Assert.Equal("AgentFailed", status.Reason);
        Assert.Contains("source not found", status.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", status.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 2 retries", status.Message, StringComparison.Ordinal);
        Assert.Equal(2, status.RetryCount);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "AgentFailed", golden.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "AgentFailed", golden.Metadata.Generation);
        var runs = E2eAssert.Runs(cluster, Ns, "gone");
        Assert.Equal(["gone-plan-a0", "gone-plan-a1", "gone-plan-a2"], runs.Select(r => r.Job));
        Assert.All(runs, r => Assert.Equal((3, false), (r.ExitCode, r.Injected)));
        var warnings = E2eAssert.Events(cluster, Ns, "gone", "Warning");
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("source not found", E2eAssert.Note(w), StringComparison.Ordinal));
        Assert.DoesNotContain("Inspecting", E2eAssert.Phases(cluster, "GoldenImage", Ns, "gone"));
    }

    [Fact]
    public async Task Failed_seal_is_retried_from_a_fresh_import_and_the_golden_image_then_becomes_ready()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        const string agentMessage = "debugfs: Could not allocate block in ext4 filesystem while writing /etc/machine-id";
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "base"), "seal", 7, agentMessage, count: 1);

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "base", images.QcowUrl, "sha512:" + images.QcowSha512));
        var golden = await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);

        // The second attempt downloads and converts again rather than sealing whatever the first one left.
        var runs = E2eAssert.Runs(cluster, Ns, "base");
        // A seal that failed may have written to the disk: nothing the first attempt made is reused.
        Assert.Equal(["base-plan-a0", "base-plan-a1"], runs.Select(r => r.Job));
        Assert.Equal([true, false], runs.Select(r => r.Injected));
        Assert.Equal(["import", "inspect", "seal", "fingerprint"], E2eAssert.PlanSteps(cluster, Ns, "base", 0));
        var second = E2eAssert.Plan(cluster, Ns, "base", 1);
        Assert.Equal(["import", "inspect", "seal", "fingerprint"], second.Select(s => s.Name));
        Assert.Contains("--overwrite", second[0].Args);
        var status = golden.Status!;
        Assert.Equal(1, status.RetryCount);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", golden.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, null, golden.Metadata.Generation);
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "base", "Warning"));
        Assert.Contains(agentMessage, E2eAssert.Note(warning), StringComparison.Ordinal);
        Assert.Contains("retry 1 of 2", E2eAssert.Note(warning), StringComparison.Ordinal);
        var degraded = E2eAssert.Statuses(cluster, "GoldenImage", Ns, "base").First(s => (string?)s["reason"] == "AgentFailed");
        Assert.Equal("Sealing", (string?)degraded["phase"]);
        var disk = cluster.Simulator.DiskPath(Ns, "base-golden");
        Assert.Equal("", await GuestDisk.ReadTextAsync(disk, "/etc/machine-id"));
        Assert.Contains("machine-id", status.SealedOperations!);
    }

    [Fact]
    public async Task Mirror_credentials_from_the_secret_reach_the_server_only_as_a_header_file_and_without_them_the_import_fails()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        var token = SampleImages.PrivateAuthorization;
        await cluster.CreateAsync(E2eObjects.Secret(Ns, "mirror", "Authorization", token));
        var authed = E2eObjects.GoldenImageFromHttp(Ns, "authed", images.PrivateQcowUrl, "sha512:" + images.QcowSha512);
        authed["spec"]!["source"]!["http"]!["secretRef"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "mirror" };
        await cluster.CreateAsync(authed);
        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "anon", images.PrivateQcowUrl, "sha512:" + images.QcowSha512));

        var golden = await cluster.WaitForGoldenImageAsync("authed", Ns, GoldenImagePhase.Ready);
        var refused = await cluster.WaitForGoldenImageAsync("anon", Ns, GoldenImagePhase.Failed);

        Assert.Equal(new FileInfo(images.RawPath).Length, golden.Status!.VirtualSize);
        var import = E2eAssert.Runs(cluster, Ns, "authed")[0];
        Assert.Equal("authed-plan-a0", import.Job);
        var importArgs = E2eAssert.Plan(cluster, Ns, "authed", 0)[0].Args.ToList();
        Assert.Equal("/etc/imprint/input/secrets/http-headers", importArgs[importArgs.IndexOf("--header-file") + 1]);
        Assert.Contains("HTTP 401", refused.Status!.Message, StringComparison.Ordinal);
        Assert.Equal(["anon-plan-a0", "anon-plan-a1", "anon-plan-a2"], E2eAssert.Runs(cluster, Ns, "anon").Select(r => r.Job));
        // The token lives in Secrets only: not in a Job, Pod, ConfigMap, status or Event, nor in the operator's log.
        var written = cluster.Changes.Where(c => (string?)c.Object["kind"] != "Secret").Select(c => c.Object.ToJsonString()).ToList();
        var bearer = token["Bearer ".Length..];
        Assert.DoesNotContain(written, w => w.Contains(bearer, StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Logs.Lines, l => l.Contains(bearer, StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Simulator.Runs.SelectMany(r => r.HostCommand.Concat(r.HostPlanArgs)), a => a.Contains(bearer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http_source_without_a_storage_size_stays_pending_and_creates_nothing()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "unsized", images.QcowUrl, "sha512:" + images.QcowSha512, size: null));
        var golden = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("unsized", Ns), g => g.Status?.Reason == "StorageSizeRequired", "StorageSizeRequired");

        var status = golden.Status!;
        Assert.Equal(GoldenImagePhase.Pending, status.Phase);
        Assert.Contains("spec.storage.size is required", status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "StorageSizeRequired", golden.Metadata.Generation);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(cluster.Simulator.Runs);
        Assert.Empty(cluster.Server.List("v1", "persistentvolumeclaims", Ns));
        Assert.Empty(cluster.Server.List("batch/v1", "jobs", Ns));
        Assert.Equal(GoldenImagePhase.Pending, (await cluster.GoldenImageAsync("unsized", Ns))!.Status!.Phase);
    }

    [Fact]
    public async Task Golden_image_waits_for_a_missing_source_pvc_and_builds_once_it_appears()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();

        await cluster.CreateAsync(E2eObjects.GoldenImageFromPvc(Ns, "base", "uploaded"));
        var waiting = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("base", Ns), g => g.Status?.Reason == "SourcePvcNotFound", "SourcePvcNotFound");

        Assert.Equal(GoldenImagePhase.Pending, waiting.Status!.Phase);
        Assert.Contains("images/uploaded does not exist", waiting.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(waiting.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "SourcePvcNotFound", waiting.Metadata.Generation);
        E2eAssert.Condition(waiting.Status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, "SourcePvcNotFound", waiting.Metadata.Generation);
        Assert.Empty(cluster.Simulator.Runs);
        Assert.Empty(cluster.Server.List("v1", "persistentvolumeclaims", Ns));

        cluster.Simulator.SeedPvc(Ns, "uploaded", images.RawPath);
        var golden = await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready, seconds: 40);

        Assert.Equal(new FileInfo(images.RawPath).Length, golden.Status!.VirtualSize);
        Assert.Equal(["base-measure-a0", "base-plan-a0"], E2eAssert.Runs(cluster, Ns, "base").Select(r => r.Job));
        Assert.Equal("convert", E2eAssert.Plan(cluster, Ns, "base", 0)[0].Args[0]);
        E2eAssert.Condition(golden.Status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", golden.Metadata.Generation);
    }
}
