using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Revisions;

namespace Imprint.Operator.Tests.Controllers.Revisions;

public sealed class GoldenImageRevisionsTests
{
    private static readonly DiskFingerprint OldPrint = new() { Size = 100, Head = new string('1', 64), Tail = new string('2', 64) };

    [Fact]
    public void A_ready_image_without_revisions_records_its_build_as_r1_on_its_claim()
    {
        var golden = Golden(revisions: null);
        golden.Status!.Revisions = null;
        golden.Status.CurrentRevision = null;

        GoldenImageRevisions.RecordFirst(golden, golden.Status, DateTimeOffset.UnixEpoch);

        var r1 = Assert.Single(golden.Status.Revisions!);
        Assert.Equal(("r1", "g-golden", true, "sha256:" + new string('c', 64)), (r1.Name, r1.Claim, r1.Ready, r1.Digest));
        Assert.Equal("sha256:" + new string('a', 64), r1.SourceChecksum);
        Assert.Equal("r1", golden.Status.CurrentRevision);
    }

    [Fact]
    public void Revision_claims_and_job_owners_keep_r1_as_before_and_number_the_others()
    {
        Assert.Equal(("g-golden", "g-golden-r2", "g-golden-r12"), (GoldenImageRevisions.ClaimName("g", 1), GoldenImageRevisions.ClaimName("g", 2), GoldenImageRevisions.ClaimName("g", 12)));
        Assert.Null(GoldenImageRevisions.JobOwner("g", null));
        Assert.Null(GoldenImageRevisions.JobOwner("g", new GoldenImageRevision { Name = "r1", Claim = "g-golden" }));
        Assert.Equal("g-r2", GoldenImageRevisions.JobOwner("g", new GoldenImageRevision { Name = "r2", Claim = "g-golden-r2" }));
        Assert.Equal((12, 0, 0), (GoldenImageRevisions.Number("r12"), GoldenImageRevisions.Number("x"), GoldenImageRevisions.Number("r")));
    }

    [Fact]
    public void An_older_revision_is_seen_through_its_own_claim_digest_fingerprint_and_size_without_the_snapshot()
    {
        var golden = Golden(revisions: true);

        var (view, revision, problem) = GoldenImageRevisions.Select(golden, "r1");

        Assert.Null(problem);
        Assert.Equal("r1", revision);
        Assert.Equal(("g-golden", "sha256:" + new string('c', 64), 100L), (view.Status!.Pvc!.Name, view.Status.Digest, view.Status.VirtualSize));
        Assert.Same(OldPrint, view.Status.Fingerprint);
        Assert.Null(view.Status.Snapshot);
        // The image itself is not touched (it is the informer's shared copy).
        Assert.Equal(("g-golden-r2", "sha256:" + new string('d', 64)), (golden.Status!.Pvc!.Name, golden.Status.Digest));
    }

    [Fact]
    public void No_pin_is_the_current_revision_as_the_image_is()
    {
        var golden = Golden(revisions: true);

        var (view, revision, problem) = GoldenImageRevisions.Select(golden, null);

        Assert.Null(problem);
        Assert.Equal("r2", revision);
        Assert.Same(golden, view);
    }

    [Theory]
    [InlineData("r7", "it has no revision r7 (it has r1, r2)")]
    [InlineData("r3", "its revision r3 is still being built")]
    public void A_pin_to_a_missing_or_unready_revision_is_a_reason_to_wait(string pin, string expected)
    {
        var golden = Golden(revisions: true);
        golden.Status!.Revisions!.Add(new GoldenImageRevision { Name = "r3", Claim = "g-golden-r3", Ready = false });

        var (_, _, problem) = GoldenImageRevisions.Select(golden, pin);

        Assert.Equal(expected, problem);
    }

    private static V1Alpha1GoldenImage Golden(bool? revisions) => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = "g", NamespaceProperty = "vms" },
        Spec = new V1Alpha1GoldenImage.GoldenImageSpec
        {
            Source = new GoldenImageSource { Http = new HttpSource { Url = "https://example.com/d.qcow2", Checksum = "sha256:" + new string('A', 64) } },
        },
        Status = new V1Alpha1GoldenImage.GoldenImageStatus
        {
            Phase = GoldenImagePhase.Ready,
            Pvc = new NamespacedObjectReference { Name = revisions is null ? "g-golden" : "g-golden-r2", Namespace = "vms" },
            Digest = "sha256:" + new string(revisions is null ? 'c' : 'd', 64),
            VirtualSize = 200,
            Snapshot = new LocalObjectReference { Name = "g-golden-r2" },
            CurrentRevision = "r2",
            Revisions = revisions is null ? null :
            [
                new GoldenImageRevision { Name = "r1", Claim = "g-golden", Digest = "sha256:" + new string('c', 64), Fingerprint = OldPrint, VirtualSize = 100, Ready = true },
                new GoldenImageRevision { Name = "r2", Claim = "g-golden-r2", Digest = "sha256:" + new string('d', 64), VirtualSize = 200, Ready = true },
            ],
        },
    };
}
