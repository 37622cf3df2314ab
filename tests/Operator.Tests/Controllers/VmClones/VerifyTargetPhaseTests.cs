using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.VmClones;

namespace Imprint.Operator.Tests.Controllers.VmClones;

public sealed class VerifyTargetPhaseTests
{
    private const long Size = 64L << 20;
    private static readonly string Head = new('a', 64);
    private static readonly string Tail = new('b', 64);
    private static readonly DiskFingerprint Golden = new() { Size = Size, Head = Head, Tail = Tail };

    [Fact]
    public void Claim_with_the_goldens_ends_matches_even_on_a_larger_device()
    {
        Assert.Null(VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", Size, Size, Head, Tail), Golden, Size));
        Assert.Null(VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", 2 * Size, Size, Head, Tail), Golden, Size));
    }

    [Fact]
    public void Smaller_disk_or_other_bytes_at_either_end_is_not_the_golden()
    {
        var small = VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", Size - 512, Size - 512, Head, Tail), Golden, Size);
        var head = VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", Size, Size, Tail, Tail), Golden, Size);
        var tail = VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", Size, Size, Head, Head), Golden, Size);

        Assert.Contains($"its disk is {Size - 512} bytes, the golden's {Size}", small, StringComparison.Ordinal);
        Assert.Contains("first MiB differs", head, StringComparison.Ordinal);
        Assert.Contains("last MiB", tail, StringComparison.Ordinal);
    }

    [Fact]
    public void Golden_without_a_recorded_fingerprint_is_compared_by_size_only()
    {
        Assert.Null(VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", Size, Size, Tail, Head), null, Size));
        Assert.NotNull(VerifyTargetPhase.Compare(new AgentFingerprintDocument("raw", Size / 2, Size / 2, Head, Tail), null, Size));
    }
}
