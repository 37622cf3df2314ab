using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Imprint.Agent.Inspection;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// Shrink and tamper evidence through the real pieces (fake API, node simulator, real agent): the seal records the
/// final disk's digest and, with spec.seal.shrink, its minimum size; copies are checked against the digest; a golden
/// changed after its seal fails the copy, is marked Degraded, and stops later clones up front.
/// </summary>
public sealed class GoldenIntegrityTests
{
    private const string Ns = "vms";
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Shrunk_golden_records_digest_and_minimum_size_and_a_clone_between_minimum_and_original_size_is_made()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        var original = new FileInfo((await SampleImages.GetAsync()).RawPath).Length;

        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["seal"] = new JsonObject { ["shrink"] = true });

        // The golden disk itself is the oracle: sha256 of the whole file, its length, clean table and filesystem.
        var disk = cluster.Simulator.DiskPath(Ns, "base-golden");
        var status = golden.Status!;
        Assert.Equal("sha256:" + Sha256(disk), status.Digest);
        Assert.Equal(new FileInfo(disk).Length, status.MinimumSize);
        Assert.True(status.MinimumSize < original, $"shrunk {status.MinimumSize} is not below the imported {original}");
        Assert.Equal(status.MinimumSize, status.VirtualSize);
        var (sgdiskExit, sgdisk) = await GuestDisk.RunAsync("sgdisk", "-v", disk);
        Assert.True(sgdiskExit == 0 && sgdisk.Contains("No problems found", StringComparison.Ordinal), sgdisk);
        var check = await (await GuestDisk.RootAsync(disk)).CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // Below the minimum: refused up front, no Job. Between minimum and the original size: copied, checked, made.
        var small = E2eObjects.VmClone(Ns, "small", "base");
        small["spec"]!["strategy"] = "Copy";
        small["spec"]!["target"] = new JsonObject { ["size"] = (status.MinimumSize!.Value - MiB).ToString(CultureInfo.InvariantCulture) };
        var fits = E2eObjects.VmClone(Ns, "fits", "base");
        fits["spec"]!["strategy"] = "Copy";
        var fitsSize = status.MinimumSize.Value + MiB;
        Assert.True(fitsSize < original);
        fits["spec"]!["target"] = new JsonObject { ["size"] = fitsSize.ToString(CultureInfo.InvariantCulture) };
        await cluster.CreateAsync(small);
        await cluster.CreateAsync(fits);

        var refused = await cluster.WaitForVmCloneAsync("small", Ns, VmClonePhase.Failed);
        var made = await cluster.WaitForVmCloneAsync("fits", Ns, VmClonePhase.Ready);

        Assert.Equal("TargetTooSmall", refused.Status!.Reason);
        Assert.Contains("minimum size", refused.Status.Message, StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "small"));
        // One Job per disk: the copy is the plan's first step and carries the sealed digest.
        var plan = Assert.Single(E2eAssert.Runs(cluster, Ns, "fits"));
        Assert.Equal("clone", plan.HostPlanArgs[0]);
        Assert.Contains("--expect-digest", plan.HostPlanArgs);
        Assert.Contains(status.Digest!, plan.HostPlanArgs);
        Assert.Equal(0, plan.ExitCode);
        var cloneDisk = cluster.Simulator.DiskPath(Ns, "fits");
        Assert.Equal(fitsSize, new FileInfo(cloneDisk).Length);
        Assert.Equal("fits\n", await GuestDisk.ReadTextAsync(cloneDisk, "/etc/hostname"));
        Assert.NotNull(made.Status);
    }

    [Fact]
    public async Task One_byte_changed_in_the_golden_after_its_seal_fails_the_copy_degrades_the_golden_and_stops_the_next_clone()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base");
        var disk = cluster.Simulator.DiskPath(Ns, "base-golden");
        Assert.Equal("sha256:" + Sha256(disk), golden.Status!.Digest);
        await FlipByteInsideGuestFileAsync(disk, "/etc/os-release");
        var web = E2eObjects.VmClone(Ns, "web", "base");
        web["spec"]!["strategy"] = "Copy";

        await cluster.CreateAsync(web);
        var failed = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Failed);

        // The clone: failed once, no retry (the same changed bytes would be copied again), with the reason and an Event.
        Assert.Equal(GoldenImageIntegrity.Changed, failed.Status!.Reason);
        Assert.Contains("changed since it was sealed", failed.Status.Message, StringComparison.Ordinal);
        Assert.Contains(golden.Status.Digest!, failed.Status.Message, StringComparison.Ordinal);
        var run = Assert.Single(E2eAssert.Runs(cluster, Ns, "web"));
        Assert.Equal((4, false), (run.ExitCode, run.Injected));
        Assert.False(File.Exists(cluster.Simulator.DiskPath(Ns, "web")), "no half-written disk is left in the target claim");
        Assert.Contains(E2eAssert.Events(cluster, Ns, "web", "Warning"), e => (string?)e["reason"] == GoldenImageIntegrity.Changed);

        // The golden: still Ready (nothing rewrote it), Degraded with the reason, a Warning Event naming the difference.
        var degraded = await cluster.WaitForAsync(
            () => cluster.GoldenImageAsync("base", Ns),
            g => Conditions.Find(g.Status?.Conditions, ConditionTypes.Degraded) is { Status: ConditionStatus.True, Reason: GoldenImageIntegrity.Changed },
            "golden Degraded");
        Assert.Equal(GoldenImagePhase.Ready, degraded.Status!.Phase);
        Assert.Contains("digest mismatch", degraded.Status.DigestMismatch, StringComparison.Ordinal);
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "base", "Warning"), e => (string?)e["reason"] == GoldenImageIntegrity.Changed);
        Assert.Contains(golden.Status.Digest!, E2eAssert.Note(warning), StringComparison.Ordinal);

        // The next clone stops before any Job.
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web2", "base"));
        var stopped = await cluster.WaitForVmCloneAsync("web2", Ns, VmClonePhase.Failed);
        Assert.Equal(GoldenImageIntegrity.Changed, stopped.Status!.Reason);
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "web2"));
    }

    [Fact]
    public async Task Unsealed_golden_records_the_digest_of_its_imported_disk_and_copies_are_checked_against_it()
    {
        await using var cluster = await ImprintCluster.StartAsync();

        var golden = await cluster.ReadyGoldenImageAsync(Ns, "raw", g => g["spec"]!["seal"] = new JsonObject { ["disabled"] = true });

        // No seal ran, so a read-only digest step took its place; the golden file itself is the oracle.
        Assert.Equal(["import", "inspect", "digest", "fingerprint"], E2eAssert.PlanSteps(cluster, Ns, "raw", 0));
        Assert.Empty(golden.Status!.SealedOperations!);
        var disk = cluster.Simulator.DiskPath(Ns, "raw-golden");
        Assert.Equal("sha256:" + Sha256(disk), golden.Status.Digest);

        // A copy of it carries that digest, and the untouched golden passes.
        var web = E2eObjects.VmClone(Ns, "web", "raw");
        web["spec"]!["strategy"] = "Copy";
        await cluster.CreateAsync(web);
        await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);
        var plan = Assert.Single(E2eAssert.Runs(cluster, Ns, "web"));
        Assert.Equal(["--expect-digest", golden.Status.Digest!], plan.HostPlanArgs.SkipWhile(a => a != "--expect-digest").Take(2));
        Assert.Equal(0, plan.ExitCode);
    }

    /// <summary>Flips one byte in the first data block of a guest file, located by debugfs (not the agent's code).</summary>
    private static async Task FlipByteInsideGuestFileAsync(string disk, string guestPath)
    {
        var offset = DiskInspector.RequireRoot(await DiskInspector.InspectAsync(disk, CancellationToken.None)).Partition.Range.Offset;
        var target = $"{disk}?offset={offset}";
        var (bmapExit, bmap) = await GuestDisk.RunAsync("debugfs", "-R", $"bmap {guestPath} 0", target);
        Assert.True(bmapExit == 0, bmap);
        var block = long.Parse(bmap.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.Trim().All(char.IsAsciiDigit)).Trim(), CultureInfo.InvariantCulture);
        var (_, header) = await GuestDisk.RunAsync("dumpe2fs", "-h", target);
        var blockSize = long.Parse(header.Split('\n').Single(l => l.StartsWith("Block size:", StringComparison.Ordinal))["Block size:".Length..].Trim(), CultureInfo.InvariantCulture);
        await using var stream = new FileStream(disk, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset + (block * blockSize) + 3;
        var value = stream.ReadByte();
        stream.Position -= 1;
        stream.WriteByte((byte)(value ^ 0x01));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
