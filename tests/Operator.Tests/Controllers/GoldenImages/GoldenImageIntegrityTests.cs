using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Status;

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
}
