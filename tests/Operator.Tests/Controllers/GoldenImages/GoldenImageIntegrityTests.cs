using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.GoldenImages;

public sealed class GoldenImageIntegrityTests
{
    private const string Digest = "sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4";

    [Fact]
    public void Seal_result_sets_digest_and_after_a_shrink_the_minimum_and_virtual_size()
    {
        var status = new V1Alpha1GoldenImage.GoldenImageStatus { VirtualSize = 2L << 30, Size = "2Gi", DigestMismatch = "old" };
        var result = new AgentResultDocument
        {
            Ok = true,
            Digest = new AgentDigestDocument(Digest, 1_553_989_632, 769_171_456, 5_000),
            Shrink = new AgentShrinkDocument(2L << 30, 1_553_989_632, 1_486_880_768, "ext4"),
        };

        GoldenImageIntegrity.RecordSeal(status, result);

        Assert.Equal(Digest, status.Digest);
        Assert.Equal(1_553_989_632, status.MinimumSize);
        Assert.Equal(1_553_989_632, status.VirtualSize); // clones are sized from the disk as it now is
        Assert.Null(status.DigestMismatch); // a new seal is the way back
    }

    [Fact]
    public void Seal_without_shrink_leaves_the_sizes_alone()
    {
        var status = new V1Alpha1GoldenImage.GoldenImageStatus { VirtualSize = 64L << 20 };

        GoldenImageIntegrity.RecordSeal(status, new AgentResultDocument { Ok = true, Digest = new AgentDigestDocument(Digest, 64L << 20, 1 << 20, 10) });

        Assert.Equal(Digest, status.Digest);
        Assert.Null(status.MinimumSize);
        Assert.Equal(64L << 20, status.VirtualSize);
    }

    [Theory]
    [InlineData(4, "digest mismatch: the source disk is sha256:…", true)]
    [InlineData(4, "unexpected end of 'disk.img' at byte 512", false)]
    [InlineData(7, "digest mismatch", false)]
    public void Only_the_agents_data_integrity_failure_naming_a_digest_mismatch_counts(int exitCode, string message, bool mismatch) =>
        Assert.Equal(mismatch, GoldenImageIntegrity.IsMismatch(new AgentJobObservation(AgentJobState.Failed, ExitCode: exitCode, FailureMessage: message)));

    [Fact]
    public void A_recorded_mismatch_keeps_the_golden_degraded_on_every_pass()
    {
        var status = new V1Alpha1GoldenImage.GoldenImageStatus { DigestMismatch = "changed since it was sealed: …" };
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, "Ready", "", 1, DateTimeOffset.UnixEpoch);

        GoldenImageIntegrity.ApplyCondition(status, 1, DateTimeOffset.UnixEpoch.AddMinutes(1));

        var degraded = Conditions.Find(status.Conditions, ConditionTypes.Degraded)!;
        Assert.Equal((ConditionStatus.True, GoldenImageIntegrity.Changed), (degraded.Status, degraded.Reason));
        Assert.Equal("changed since it was sealed: …", degraded.Message);
        Assert.Equal(["--expect-digest", Digest], GoldenImageIntegrity.ExpectArgs(new V1Alpha1GoldenImage { Status = new() { Digest = Digest } }));
        Assert.Empty(GoldenImageIntegrity.ExpectArgs(new V1Alpha1GoldenImage()));
    }

    [Theory]
    [InlineData("r1", false)]
    [InlineData("r2", true)]
    [InlineData(null, true)]
    public async Task A_mismatch_marks_the_image_only_when_the_copy_read_its_current_revision(string? revision, bool marked)
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await client.CreateRawAsync(RawObjects.CustomResourceDefinitions,
            YamlJson.ParseSingle(await File.ReadAllTextAsync(Path.Combine(ImprintCluster.RepoRoot, "config", "crd", "imprint.dev_goldenimages.yaml")))!.AsObject());
        var golden = await client.CreateAsync(new V1Alpha1GoldenImage
        {
            Metadata = new V1ObjectMeta { Name = "g", NamespaceProperty = "vms" },
            Spec = new V1Alpha1GoldenImage.GoldenImageSpec { Source = new GoldenImageSource { Pvc = new NamespacedObjectReference { Name = "src" } } },
        });
        golden.Status = new V1Alpha1GoldenImage.GoldenImageStatus
        {
            Phase = GoldenImagePhase.Ready,
            Digest = Digest,
            CurrentRevision = "r2",
            Revisions = [new GoldenImageRevision { Name = "r1", Claim = "g-golden", Ready = true }, new GoldenImageRevision { Name = "r2", Claim = "g-golden-r2", Ready = true }],
        };
        Assert.True(await StatusWriter.WriteAsync(client, golden, CancellationToken.None));
        var events = new Recorder();

        var message = await GoldenImageIntegrity.ReportAsync(client, events, "vms", "g", "digest mismatch: expected … got …", "Job x", DateTimeOffset.UnixEpoch, CancellationToken.None, revision);

        var after = await client.GetAsync<V1Alpha1GoldenImage>("g", "vms");
        Assert.Equal(marked, after!.Status!.DigestMismatch is not null);
        Assert.Equal(!marked, message.StartsWith("revision r1 changed since it was sealed", StringComparison.Ordinal));
        var (type, reason, note) = Assert.Single(events.Recorded);
        Assert.Equal(("Warning", GoldenImageIntegrity.Changed), (type, reason));
        Assert.Equal(!marked, note.Contains("the current revision r2 is not affected", StringComparison.Ordinal));
    }

    private sealed class Recorder : IEventRecorder
    {
        public List<(string Type, string Reason, string Note)> Recorded { get; } = [];

        public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string note, string? action = null) => Recorded.Add((type, reason, note));
    }
}
