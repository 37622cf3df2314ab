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
}
