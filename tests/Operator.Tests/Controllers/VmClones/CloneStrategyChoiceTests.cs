using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.VmClones;

namespace Imprint.Operator.Tests.Controllers.VmClones;

public sealed class CloneStrategyChoiceTests
{
    [Fact]
    public void Auto_takes_a_csi_clone_within_one_namespace_class_and_mode()
    {
        var choice = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "fast", "fast", VolumeMode.Block, VolumeMode.Block, hasSnapshot: true);

        Assert.Equal(new CloneStrategyChoice(CloneStrategy.CsiClone, null, null), choice);
    }

    [Fact]
    public void Auto_falls_back_to_the_snapshot_when_the_class_differs_and_says_why()
    {
        var choice = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "slow", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true);

        Assert.Equal(CloneStrategy.Snapshot, choice.Strategy);
        Assert.Contains("StorageClass 'slow' differs from the golden's 'fast'", choice.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_copies_across_namespaces_and_when_nothing_faster_applies()
    {
        var across = CloneStrategyChoice.Choose(CloneStrategy.Auto, false, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true);
        var modes = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "fast", "fast", VolumeMode.Block, VolumeMode.Filesystem, hasSnapshot: false);

        Assert.Equal(CloneStrategy.Copy, across.Strategy);
        Assert.Contains("another namespace", across.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(CloneStrategy.Copy, modes.Strategy);
        Assert.Contains("volume mode Block differs", modes.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("no VolumeSnapshot", modes.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_copies_rather_than_restoring_a_snapshot_into_another_volume_mode()
    {
        var choice = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "fast", "fast", VolumeMode.Block, VolumeMode.Filesystem, hasSnapshot: true);
        var explicitSnapshot = CloneStrategyChoice.Choose(CloneStrategy.Snapshot, true, "fast", "fast", VolumeMode.Block, VolumeMode.Filesystem, hasSnapshot: true);

        Assert.Equal(CloneStrategy.Copy, choice.Strategy);
        Assert.Contains("volume mode Block differs from the snapshot's Filesystem", choice.FallbackReason, StringComparison.Ordinal);
        Assert.StartsWith("Snapshot is impossible", explicitSnapshot.Impossible, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_strategy_that_cannot_work_is_impossible_rather_than_silently_replaced()
    {
        var csi = CloneStrategyChoice.Choose(CloneStrategy.CsiClone, true, "a", "b", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: false);
        var snapshot = CloneStrategyChoice.Choose(CloneStrategy.Snapshot, true, "a", "a", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: false);
        var copy = CloneStrategyChoice.Choose(CloneStrategy.Copy, true, "a", "a", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true);

        Assert.StartsWith("CsiClone is impossible", csi.Impossible, StringComparison.Ordinal);
        Assert.StartsWith("Snapshot is impossible", snapshot.Impossible, StringComparison.Ordinal);
        Assert.Equal(new CloneStrategyChoice(CloneStrategy.Copy, null, null), copy);
    }

    [Fact]
    public void Auto_copies_when_the_target_claim_is_smaller_than_the_golden_claim_and_its_snapshot()
    {
        var sizes = new CloneClaimSizes(TargetClaimBytes: 900, GoldenClaimBytes: 1000, SnapshotRestoreBytes: 1000);

        var choice = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);

        Assert.Equal(CloneStrategy.Copy, choice.Strategy);
        Assert.Null(choice.Impossible);
        Assert.Contains("no CSI clone: the target claim (900 bytes) is smaller than the golden's claim (1000 bytes): CSI clones cannot shrink", choice.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("no snapshot: the target claim (900 bytes) is smaller than the snapshot's restoreSize (1000 bytes)", choice.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_restores_the_snapshot_when_only_the_golden_claim_is_larger_than_the_target()
    {
        var sizes = new CloneClaimSizes(TargetClaimBytes: 900, GoldenClaimBytes: 1000, SnapshotRestoreBytes: 800);

        var choice = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);

        Assert.Equal(CloneStrategy.Snapshot, choice.Strategy);
        Assert.Contains("CSI clones cannot shrink", choice.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_csi_clone_or_snapshot_smaller_than_its_source_is_impossible()
    {
        var sizes = new CloneClaimSizes(TargetClaimBytes: 900, GoldenClaimBytes: 1000, SnapshotRestoreBytes: 1000);

        var csi = CloneStrategyChoice.Choose(CloneStrategy.CsiClone, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);
        var snapshot = CloneStrategyChoice.Choose(CloneStrategy.Snapshot, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);

        Assert.Equal("CsiClone is impossible: the target claim (900 bytes) is smaller than the golden's claim (1000 bytes): CSI clones cannot shrink", csi.Impossible);
        Assert.Equal("Snapshot is impossible: the target claim (900 bytes) is smaller than the snapshot's restoreSize (1000 bytes): a restore cannot shrink", snapshot.Impossible);
    }

    [Theory]
    [InlineData(1000L)]
    [InlineData(1500L)]
    public void A_target_claim_equal_to_or_larger_than_its_source_keeps_the_csi_clone_and_the_snapshot(long targetClaimBytes)
    {
        var sizes = new CloneClaimSizes(targetClaimBytes, GoldenClaimBytes: 1000, SnapshotRestoreBytes: 1000);

        var auto = CloneStrategyChoice.Choose(CloneStrategy.Auto, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);
        var snapshot = CloneStrategyChoice.Choose(CloneStrategy.Snapshot, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);

        Assert.Equal(new CloneStrategyChoice(CloneStrategy.CsiClone, null, null), auto);
        Assert.Equal(new CloneStrategyChoice(CloneStrategy.Snapshot, null, null), snapshot);
    }

    [Fact]
    public void Unknown_source_sizes_rule_nothing_out()
    {
        var sizes = new CloneClaimSizes(TargetClaimBytes: 1, GoldenClaimBytes: null, SnapshotRestoreBytes: null);

        var csi = CloneStrategyChoice.Choose(CloneStrategy.CsiClone, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);
        var snapshot = CloneStrategyChoice.Choose(CloneStrategy.Snapshot, true, "fast", "fast", VolumeMode.Filesystem, VolumeMode.Filesystem, hasSnapshot: true, sizes: sizes);

        Assert.Null(csi.Impossible);
        Assert.Null(snapshot.Impossible);
    }
}
