using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Imprint.Agent.Inspection;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Revisions;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// Revisions through the real pieces (fake API, node simulator, real agent), against a loopback server whose image and
/// SHA256SUMS the test replaces as a distribution replaces its "latest" files. The operator's clock is moved forward
/// to each hourly check; everything else runs on real timers.
/// </summary>
public sealed class GoldenImageRevisionTests
{
    private const string Ns = "vms";
    private const string Marker = "/etc/imprint-release";

    [Fact]
    public async Task A_changed_source_becomes_revision_2_while_pinned_clones_copy_revision_1_which_is_removed_once_unused()
    {
        var clock = new ShiftedClock();
        await using var files = await ChangingFileServer.StartAsync();
        await using var cluster = await ImprintCluster.StartAsync(time: clock);
        var images = await SampleImages.GetAsync();
        var v2 = await MarkedImageAsync(images.RawPath, cluster.Root, "v2\n");
        var url = files.Serve("disk.qcow2", images.QcowPath);
        var sums = files.Serve("SHA256SUMS", WriteSums(cluster.Root, images.QcowPath));
        await cluster.CreateAsync(Updating(E2eObjects.GoldenImageFromHttp(Ns, "g", url, "sha256:" + Sha256(images.QcowPath)), sums, keep: 1));

        var ready = await cluster.WaitForGoldenImageAsync("g", Ns, GoldenImagePhase.Ready);

        // r1 is the first build on the image's usual claim, current, with the spec's checksum as its source.
        var r1 = Assert.Single(ready.Status!.Revisions!);
        Assert.Equal(("r1", "g-golden", true), (r1.Name, r1.Claim, r1.Ready));
        Assert.Equal(ready.Status.Digest, r1.Digest);
        Assert.Equal("sha256:" + Sha256(images.QcowPath), r1.SourceChecksum);
        Assert.Equal("r1", ready.Status.CurrentRevision);
        Assert.True(ready.Status.NextUpdateCheck > clock.GetUtcNow(), "the first check is on the schedule, not at once");

        // An hour later the checksum file still names the same image: no download, no Job, nothing new.
        var downloads = files.Requests.Count(r => r == ("GET", "/disk.qcow2"));
        clock.Jump(TimeSpan.FromHours(1));
        var checkedOnce = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("g", Ns), g => g.Status?.LastUpdateCheck is not null, "first update check");
        Assert.Contains(("GET", "/SHA256SUMS"), files.Requests);
        Assert.Equal(downloads, files.Requests.Count(r => r == ("GET", "/disk.qcow2")));
        Assert.Empty(E2eAssert.Jobs(cluster.Server, Ns, "g"));
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "g-r2"));
        Assert.Equal(["r1"], checkedOnce.Status!.Revisions!.Select(r => r.Name));
        Assert.Null(checkedOnce.Status.UpdateError);

        // A clone pinned to r1 that cannot start yet (its file's Secret is missing) holds r1 through the update.
        var pinned = E2eObjects.VmClone(Ns, "pinned", "g");
        pinned["spec"]!["goldenImage"]!["revision"] = "r1";
        pinned["spec"]!["strategy"] = "Copy";
        pinned["spec"]!["customize"]!["files"] = new JsonArray(new JsonObject { ["path"] = "/etc/pinned", ["secretRef"] = new JsonObject { ["name"] = "later", ["key"] = "k" } });
        await cluster.CreateAsync(pinned);
        await cluster.WaitForAsync(() => cluster.VmCloneAsync("pinned", Ns), c => c.Status?.Reason == "SecretNotFound", "pinned clone waiting for its Secret");

        // The distribution publishes a new image: the next check sees the new checksum and builds r2 on its own claim.
        files.Serve("disk.qcow2", v2);
        WriteSums(cluster.Root, v2);
        clock.Jump(TimeSpan.FromHours(1));
        var updated = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("g", Ns), g => g.Status?.CurrentRevision == "r2", "revision r2 current");

        var status = updated.Status!;
        Assert.Equal(GoldenImagePhase.Ready, status.Phase);
        Assert.Equal(["r1", "r2"], status.Revisions!.Select(r => r.Name));
        var r2 = status.Revisions![1];
        Assert.Equal(("g-golden-r2", true), (r2.Claim, r2.Ready));
        Assert.Equal("sha256:" + Sha256(v2), r2.SourceChecksum);
        // The sealed r2 disk itself is the oracle for its digest; the image's top-level status now describes r2.
        Assert.Equal("sha256:" + Sha256(cluster.Simulator.DiskPath(Ns, "g-golden-r2")), r2.Digest);
        Assert.NotEqual(r1.Digest, r2.Digest);
        Assert.Equal((r2.Digest, "g-golden-r2"), (status.Digest, status.Pvc!.Name));
        Assert.Equal("v2\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "g-golden-r2"), Marker));
        Assert.Equal("import", Assert.Single(E2eAssert.Runs(cluster, Ns, "g-r2")).HostPlanArgs[0]);
        Assert.Contains(E2eAssert.Events(cluster, Ns, "g"), e => (string?)e["reason"] == "NewRevision");
        Assert.Contains(E2eAssert.Events(cluster, Ns, "g"), e => (string?)e["reason"] == "RevisionReady" && E2eAssert.Note(e).Contains("r2", StringComparison.Ordinal));
        // keepRevisions is 1, but the pinned clone has not finished: r1 and its claim stay.
        Assert.Contains(cluster.Server.List("v1", "persistentvolumeclaims", Ns), c => (string?)c["metadata"]!["name"] == "g-golden");

        // The pinned clone goes on from r1 (its claim and its digest); a new clone gets r2; a CloneTemplate pinned to
        // r1 populates its claim from r1 too.
        await cluster.CreateAsync(E2eObjects.Secret(Ns, "later", "k", "pinned\n"));
        var fresh = E2eObjects.VmClone(Ns, "fresh", "g");
        fresh["spec"]!["strategy"] = "Copy";
        await cluster.CreateAsync(fresh);
        var template = PopulatorObjects.CloneTemplate(Ns, "tpl", "g", new JsonObject { ["hostname"] = "{{ .claim.name }}" });
        template["spec"]!["goldenImage"]!["revision"] = "r1";
        await cluster.CreateAsync(template);
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "tpl-0", "tpl"));
        var pinnedDone = await cluster.WaitForVmCloneAsync("pinned", Ns, VmClonePhase.Ready);
        var freshDone = await cluster.WaitForVmCloneAsync("fresh", Ns, VmClonePhase.Ready);
        var populated = await cluster.WaitForAsync(
            () => Task.FromResult(cluster.Server.List("v1", "persistentvolumeclaims", Ns).FirstOrDefault(c => (string?)c["metadata"]!["name"] == "tpl-0")),
            PopulatorObjects.IsBound, "claim tpl-0 Bound");

        Assert.Equal("r1", pinnedDone.Status!.GoldenImageRevision);
        var pinnedCopy = Assert.Single(E2eAssert.Runs(cluster, Ns, "pinned")).HostPlanArgs;
        Assert.Contains(r1.Digest!, pinnedCopy);
        Assert.Contains(cluster.Simulator.DiskPath(Ns, "g-golden"), pinnedCopy);
        Assert.Null(await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "pinned"), Marker));
        Assert.Equal("pinned\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "pinned"), "/etc/pinned"));
        Assert.Equal("r2", freshDone.Status!.GoldenImageRevision);
        var freshCopy = Assert.Single(E2eAssert.Runs(cluster, Ns, "fresh")).HostPlanArgs;
        Assert.Contains(r2.Digest!, freshCopy);
        Assert.Contains(cluster.Simulator.DiskPath(Ns, "g-golden-r2"), freshCopy);
        Assert.Equal("v2\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "fresh"), Marker));
        // The populator's VmClone recorded the revision (read from its history: it may be gone after the rebind).
        var populator = (string)populated["metadata"]!["annotations"]!["imprint.dev/vmclone"]!;
        Assert.Equal(["r1"], E2eAssert.Statuses(cluster, "VmClone", Ns, populator).Select(s => (string?)s["goldenImageRevision"]).OfType<string>().Distinct());
        Assert.Null(await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "tpl-0"), Marker));
        Assert.Equal("tpl-0\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "tpl-0"), "/etc/hostname"));

        // No clone in progress uses r1 any more: beyond keepRevisions, it goes with its claim.
        var collected = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("g", Ns), g => g.Status?.Revisions?.Count == 1, "revision r1 removed");
        Assert.Equal("r2", Assert.Single(collected.Status!.Revisions!).Name);
        await cluster.WaitForAsync(
            () => Task.FromResult<object?>(cluster.Server.List("v1", "persistentvolumeclaims", Ns).Any(c => (string?)c["metadata"]!["name"] == "g-golden") ? null : new object()),
            _ => true, "claim g-golden deleted");
        Assert.Contains(E2eAssert.Events(cluster, Ns, "g"), e => (string?)e["reason"] == "RevisionRemoved" && E2eAssert.Note(e).Contains("r1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_update_keeps_revision_1_current_and_Degraded_until_a_later_check_succeeds()
    {
        var clock = new ShiftedClock();
        await using var files = await ChangingFileServer.StartAsync();
        await using var cluster = await ImprintCluster.StartAsync(time: clock);
        var images = await SampleImages.GetAsync();
        var url = files.Serve("disk.qcow2", images.QcowPath);
        var sums = files.Serve("SHA256SUMS", WriteSums(cluster.Root, images.QcowPath));
        await cluster.CreateAsync(Updating(E2eObjects.GoldenImageFromHttp(Ns, "h", url, "sha256:" + Sha256(images.QcowPath)), sums, keep: 2));
        var ready = await cluster.WaitForGoldenImageAsync("h", Ns, GoldenImagePhase.Ready);

        // The checksum file announces an image the server does not serve: the download of r2 fails its checksum.
        var sumsPath = Path.Combine(cluster.Root, "SHA256SUMS");
        await File.WriteAllTextAsync(sumsPath, $"{new string('0', 64)}  disk.qcow2\n");
        clock.Jump(TimeSpan.FromHours(1));
        var failed = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("h", Ns), g => g.Status?.UpdateError is not null, "update failure recorded");

        var status = failed.Status!;
        Assert.Equal((GoldenImagePhase.Ready, "r1", "h-golden", ready.Status!.Digest), (status.Phase, status.CurrentRevision, status.Pvc!.Name, status.Digest));
        var r2 = Assert.Single(status.Revisions!, r => r.Name == "r2");
        Assert.False(r2.Ready);
        Assert.Contains("checksum mismatch", r2.Message, StringComparison.Ordinal);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, null, failed.Metadata.Generation);
        var degraded = E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, GoldenImageUpdater.UpdateFailed, failed.Metadata.Generation);
        Assert.Contains("revision r2 failed", degraded.Message, StringComparison.Ordinal);
        Assert.Contains("r1 keeps serving", degraded.Message, StringComparison.Ordinal);
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "h", "Warning"), e => (string?)e["reason"] == GoldenImageUpdater.UpdateFailed);
        Assert.Contains("checksum mismatch", E2eAssert.Note(warning), StringComparison.Ordinal);
        await cluster.WaitForAsync(
            () => Task.FromResult<object?>(cluster.Server.List("v1", "persistentvolumeclaims", Ns).Any(c => (string?)c["metadata"]!["name"] == "h-golden-r2") ? null : new object()),
            _ => true, "failed revision's claim deleted");

        // Clones keep getting r1 meanwhile.
        var clone = E2eObjects.VmClone(Ns, "meanwhile", "h");
        clone["spec"]!["strategy"] = "Copy";
        await cluster.CreateAsync(clone);
        Assert.Equal("r1", (await cluster.WaitForVmCloneAsync("meanwhile", Ns, VmClonePhase.Ready)).Status!.GoldenImageRevision);

        // The next scheduled check finds the file fixed (it names r1's image again): no change, and the error clears.
        WriteSums(cluster.Root, images.QcowPath);
        clock.Jump(TimeSpan.FromHours(1));
        var healed = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("h", Ns), g => g.Status?.UpdateError is null, "update error cleared");
        Assert.Equal("r1", healed.Status!.CurrentRevision);
        E2eAssert.Condition(healed.Status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, null, healed.Metadata.Generation);
    }

    [Fact]
    public async Task A_golden_with_only_a_checksum_file_verifies_revision_1_against_the_files_line_for_the_image()
    {
        await using var files = await ChangingFileServer.StartAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        var images = await SampleImages.GetAsync();
        var url = files.Serve("disk.qcow2", images.QcowPath);
        var sums = files.Serve("SHA256SUMS", WriteSums(cluster.Root, images.QcowPath));
        await cluster.CreateAsync(Updating(WithoutChecksum(E2eObjects.GoldenImageFromHttp(Ns, "latest", url, "unused")), sums, keep: 2));

        var ready = await cluster.WaitForGoldenImageAsync("latest", Ns, GoldenImagePhase.Ready);

        // The file's line was read before the download, the download was verified against it, and r1 records it.
        var expected = "sha256:" + Sha256(images.QcowPath);
        Assert.Equal(expected, ready.Status!.PublishedChecksum);
        var r1 = Assert.Single(ready.Status.Revisions!);
        Assert.Equal(("r1", true, expected), (r1.Name, r1.Ready, r1.SourceChecksum));
        var import = E2eAssert.Plan(cluster, Ns, "latest", 0)[0];
        Assert.Equal("import", import.Name);
        Assert.Equal(expected, import.Args[import.Args.ToList().IndexOf("--checksum") + 1]);
        var requests = files.Requests.ToList();
        Assert.True(requests.IndexOf(("GET", "/SHA256SUMS")) < requests.IndexOf(("GET", "/disk.qcow2")), string.Join(", ", requests));
        Assert.Equal("sha256:" + Sha256(cluster.Simulator.DiskPath(Ns, "latest-golden")), ready.Status.Digest);
    }

    [Fact]
    public async Task A_checksum_file_without_a_line_for_the_image_fails_the_golden_and_one_that_cannot_be_fetched_is_retried_then_fails_with_nothing_imported()
    {
        await using var files = await ChangingFileServer.StartAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        var images = await SampleImages.GetAsync();
        var url = files.Serve("disk.qcow2", images.QcowPath);
        var otherOnly = Path.Combine(cluster.Root, "OTHER-SUMS");
        await File.WriteAllTextAsync(otherOnly, $"{Sha256(images.QcowPath)}  other.qcow2\n");
        var sums = files.Serve("SHA256SUMS", otherOnly);
        await cluster.CreateAsync(Updating(WithoutChecksum(E2eObjects.GoldenImageFromHttp(Ns, "unlisted", url, "unused")), sums, keep: 1));
        await cluster.CreateAsync(Updating(WithoutChecksum(E2eObjects.GoldenImageFromHttp(Ns, "unfetched", url, "unused")), new Uri(files.BaseAddress, "NO-SUCH-SUMS"), keep: 1));

        var unlisted = await cluster.WaitForGoldenImageAsync("unlisted", Ns, GoldenImagePhase.Failed);
        var unfetched = await cluster.WaitForGoldenImageAsync("unfetched", Ns, GoldenImagePhase.Failed);

        // No line for disk.qcow2: fails at once, as a wrong checksum does, naming the file and what it lacks.
        var status = unlisted.Status!;
        Assert.Equal(ReadPublishedChecksumPhase.ChecksumNotPublished, status.Reason);
        Assert.Contains($"checksum file {sums}: the checksum file has no line for disk.qcow2", status.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", status.Message, StringComparison.Ordinal);
        Assert.Equal(0, status.RetryCount ?? 0);
        Assert.Null(status.PublishedChecksum);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, ReadPublishedChecksumPhase.ChecksumNotPublished, unlisted.Metadata.Generation);
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "unlisted", "Warning"));
        Assert.Equal(ReadPublishedChecksumPhase.ChecksumNotPublished, (string?)warning["reason"]);

        // The file answers 404: retried like a download that fails, then Failed with the HTTP status.
        var gone = unfetched.Status!;
        Assert.Equal(ReadPublishedChecksumPhase.ChecksumFileUnavailable, gone.Reason);
        Assert.Contains("/NO-SUCH-SUMS: HTTP 404", gone.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 2 retries", gone.Message, StringComparison.Ordinal);
        Assert.Equal(3, files.Requests.Count(r => r == ("GET", "/NO-SUCH-SUMS")));

        // Neither imported anything: no agent Job, no claim, no download.
        foreach (var name in new[] { "unlisted", "unfetched" })
        {
            Assert.Empty(E2eAssert.Runs(cluster, Ns, name));
            Assert.DoesNotContain(cluster.Changes, c => (string?)c.Object["kind"] == "Job" && ((string?)c.Object["metadata"]?["name"])!.StartsWith(name + "-", StringComparison.Ordinal));
            Assert.Empty(cluster.History("PersistentVolumeClaim", Ns, name + "-golden"));
        }

        Assert.DoesNotContain(("GET", "/disk.qcow2"), files.Requests);
    }

    private static JsonObject WithoutChecksum(JsonObject golden)
    {
        golden["spec"]!["source"]!["http"]!.AsObject().Remove("checksum");
        return golden;
    }

    private static JsonObject Updating(JsonObject golden, Uri sums, int keep)
    {
        golden["spec"]!["updatePolicy"] = new JsonObject { ["schedule"] = "0 * * * *", ["keepRevisions"] = keep, ["checksumUrl"] = sums.ToString() };
        return golden;
    }

    /// <summary>SHA256SUMS naming <paramref name="image"/> as disk.qcow2, in the test's folder; returns its path.</summary>
    private static string WriteSums(string root, string image)
    {
        var path = Path.Combine(root, "SHA256SUMS");
        File.WriteAllText(path, $"{new string('1', 64)}  other.qcow2\n{Sha256(image)}  disk.qcow2\n");
        return path;
    }

    /// <summary>The sample disk with <see cref="Marker"/> written into its root filesystem (debugfs -w), as qcow2.</summary>
    private static async Task<string> MarkedImageAsync(string raw, string root, string content)
    {
        var copy = Path.Combine(root, "marked.raw");
        var qcow = Path.Combine(root, "marked.qcow2");
        var text = Path.Combine(root, "marker.txt");
        await File.WriteAllTextAsync(text, content);
        var (cpExit, cp) = await GuestDisk.RunAsync("cp", "--sparse=always", raw, copy);
        Assert.True(cpExit == 0, cp);
        var offset = DiskInspector.RequireRoot(await DiskInspector.InspectAsync(copy, CancellationToken.None)).Partition.Range.Offset;
        var (writeExit, write) = await GuestDisk.RunAsync("debugfs", "-w", "-R", $"write {text} {Marker}", $"{copy}?offset={offset}");
        Assert.True(writeExit == 0, write);
        var (convertExit, convert) = await GuestDisk.RunAsync("qemu-img", "convert", "-O", "qcow2", copy, qcow);
        Assert.True(convertExit == 0, convert);
        File.Delete(copy);
        return qcow;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
