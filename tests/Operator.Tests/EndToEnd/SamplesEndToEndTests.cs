using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// The user's path through the real pieces: the samples in config/samples applied to the fake API server, the
/// operator's controllers, the node simulator running the real agent for each Job, and the resulting disk read back
/// with debugfs, e2fsck and sgdisk.
/// </summary>
public sealed class SamplesEndToEndTests
{
    private const string Ns = "default";
    private static readonly string Samples = Path.Combine(ImprintCluster.RepoRoot, "config", "samples");

    [Fact]
    public async Task Samples_bring_the_golden_image_and_the_clone_to_ready_with_a_customized_grown_disk()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();

        await cluster.ApplyAsync(Path.Combine(Samples, "imprint.dev_v1alpha1_goldenimage_http.yaml"), Ns, gi =>
        {
            gi["spec"]!["source"]!["http"]!["url"] = images.QcowUrl.ToString();
            gi["spec"]!["source"]!["http"]!["checksum"] = "sha512:" + images.QcowSha512;
        });
        var golden = await cluster.WaitForGoldenImageAsync("debian-12", Ns, GoldenImagePhase.Ready);

        var goldenStatus = golden.Status!;
        Assert.Equal(new FileInfo(images.RawPath).Length, goldenStatus.VirtualSize);
        Assert.Equal(("linux", "debian", "12"), (goldenStatus.Inspection!.Os, goldenStatus.Inspection.Distro, goldenStatus.Inspection.Version));
        Assert.Equal(2, goldenStatus.Inspection.RootPartition);
        Assert.Contains("ssh-hostkeys", goldenStatus.SealedOperations!);
        Assert.Contains("machine-id", goldenStatus.SealedOperations!);
        Assert.Equal("100%", goldenStatus.Progress);
        AssertCondition(goldenStatus.Conditions, ConditionTypes.Ready, ConditionStatus.True, golden.Metadata.Generation);
        AssertCondition(goldenStatus.Conditions, ConditionTypes.Progressing, ConditionStatus.False, golden.Metadata.Generation);
        var goldenDisk = cluster.Simulator.DiskPath(Ns, goldenStatus.Pvc!.Name);
        Assert.Equal("", await GuestDisk.ReadTextAsync(goldenDisk, "/etc/machine-id"));
        Assert.False(await (await GuestDisk.RootAsync(goldenDisk)).ExistsAsync("/etc/ssh/ssh_host_ed25519_key"));
        var goldenHash = await HashAsync(goldenDisk);

        await cluster.ApplyAsync(Path.Combine(Samples, "imprint_ssh_keys_secret.yaml"), Ns);
        await cluster.ApplyAsync(Path.Combine(Samples, "imprint.dev_v1alpha1_vmclone.yaml"), Ns);
        var clone = await cluster.WaitForVmCloneAsync("web-01", Ns, VmClonePhase.Ready, seconds: 120);

        var status = clone.Status!;
        Assert.Equal(CloneStrategy.CsiClone, status.CloneStrategy);
        Assert.Equal("web-01", status.Pvc!.Name);
        Assert.Equal(0, status.RetryCount ?? 0);
        AssertCondition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, clone.Metadata.Generation);
        AssertCondition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, clone.Metadata.Generation);
        Assert.NotNull(status.Durations!.CustomizeMs);
        Assert.NotNull(status.Durations.ResizeMs);
        Assert.True(status.Changes!.Count > 0);

        var disk = cluster.Simulator.DiskPath(Ns, "web-01");
        Assert.Equal(20L << 30, new FileInfo(disk).Length);
        // Grown for real: the root partition reaches the backup GPT at the end of 20 GiB and its filesystem fills it.
        var (end, partitionBytes, filesystemBytes) = await GuestDisk.RootExtentAsync(disk);
        Assert.InRange(end, (20L << 30) - (1L << 20), (20L << 30) - (33 * 512));
        Assert.InRange(filesystemBytes, partitionBytes - (1L << 20), partitionBytes);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("web-01\n", await guest.TryReadTextAsync("/etc/hostname"));
        var machineId = (await guest.TryReadTextAsync("/etc/machine-id"))!.Trim();
        Assert.Matches("^[0-9a-f]{32}$", machineId);
        Assert.Contains("192.0.2.10", await guest.TryReadTextAsync("/etc/network/interfaces"), StringComparison.Ordinal);
        // The sample's user "admin" does not exist in the guest (as in a cloud image before cloud-init): it is created.
        Assert.Contains("admin@example", await guest.TryReadTextAsync("/home/admin/.ssh/authorized_keys"), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^admin:x:\d+:\d+::/home/admin:/bin/(ba)?sh$", await guest.TryReadTextAsync("/etc/passwd"));

        // status.sshHostKeys are the keys on the disk.
        Assert.NotEmpty(status.SshHostKeys!);
        foreach (var key in status.SshHostKeys!)
        {
            var file = key.Type switch { "ssh-ed25519" => "ed25519", "ecdsa-sha2-nistp256" => "ecdsa", "ssh-rsa" => "rsa", var t => t };
            var onDisk = (await guest.TryReadTextAsync($"/etc/ssh/ssh_host_{file}_key.pub"))!;
            Assert.Equal(key.PublicKey.Split(' ')[1], onDisk.Split(' ')[1]);
            var pub = Path.Combine(cluster.Root, $"{file}.pub");
            await File.WriteAllTextAsync(pub, onDisk);
            var (_, fingerprint) = await GuestDisk.RunAsync("ssh-keygen", "-lf", pub);
            Assert.Contains(key.Fingerprint, fingerprint, StringComparison.Ordinal);
        }

        // The real tools agree the disk is sound, and the golden disk was not written by the clone.
        var (gpt, gptOutput) = await GuestDisk.RunAsync("sgdisk", "-v", disk);
        Assert.True(gpt == 0 && gptOutput.Contains("No problems found", StringComparison.Ordinal), gptOutput);
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
        Assert.Equal(goldenHash, await HashAsync(goldenDisk));

        // Each phase left an Event, and the step Jobs were cleaned up once the clone was Ready.
        var reasons = cluster.Events(Ns, "web-01").Select(e => (string?)e["reason"]).ToList();
        Assert.Contains("Cloning", reasons);
        Assert.Contains("Customizing", reasons);
        Assert.Contains("Ready", reasons);
        await cluster.WaitForAsync(() => Task.FromResult<object?>(cluster.Server.List("batch/v1", "jobs", Ns).Count == 0 ? "" : null), _ => true, "step Jobs removed");

        // The agent's account exists where its Jobs ran, without a token.
        var account = cluster.Server.Get("v1", "serviceaccounts", Ns, "imprint-agent")!;
        Assert.False((bool)account["automountServiceAccountToken"]!);
    }

    internal static void AssertCondition(IList<Condition>? conditions, string type, ConditionStatus status, long? generation)
    {
        var condition = Assert.Single(conditions!, c => c.Type == type);
        Assert.Equal(status, condition.Status);
        Assert.Equal(generation, condition.ObservedGeneration);
    }

    internal static async Task<string> HashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream));
    }
}
