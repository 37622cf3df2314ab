using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Snapshots;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Storage;

public sealed class SnapshotSupportTests
{
    private static readonly StorageCapabilityRegistry Registry = new(new StorageOptions());

    [Fact]
    public void Snapshot_class_of_the_same_driver_on_a_csi_class_can_snapshot()
    {
        var storageClass = StorageClass("fast", "ebs.csi.aws.com");

        Assert.Null(SnapshotSupport.WhyNot(storageClass, Registry.For(storageClass), "snap", SnapshotClass("snap", "ebs.csi.aws.com")));
    }

    [Fact]
    public void Known_provisioner_without_snapshots_cannot_even_with_a_matching_snapshot_class()
    {
        var storageClass = StorageClass("local", KnownProvisioners.NoProvisioner);

        var why = SnapshotSupport.WhyNot(storageClass, Registry.For(storageClass), "snap", SnapshotClass("snap", KnownProvisioners.NoProvisioner));

        Assert.Contains($"StorageClass 'local' ({KnownProvisioners.NoProvisioner})", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_snapshot_class_or_one_for_another_driver_cannot_and_both_are_named()
    {
        var storageClass = StorageClass("fast", "ebs.csi.aws.com");

        var missing = SnapshotSupport.WhyNot(storageClass, Registry.For(storageClass), "snap", null);
        var other = SnapshotSupport.WhyNot(storageClass, Registry.For(storageClass), "snap", SnapshotClass("snap", "pd.csi.storage.gke.io"));

        Assert.Contains("VolumeSnapshotClass 'snap' does not exist (StorageClass 'fast', driver ebs.csi.aws.com)", missing, StringComparison.Ordinal);
        Assert.Contains("'snap' is for driver pd.csi.storage.gke.io, but StorageClass 'fast' uses ebs.csi.aws.com", other, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_stated_without_snapshot_support_cannot()
    {
        var registry = new StorageCapabilityRegistry(new StorageOptions { Capabilities = { ["fast"] = new StorageClassCapabilityOption { Snapshot = false } } });
        var storageClass = StorageClass("fast", "ebs.csi.aws.com");

        var why = SnapshotSupport.WhyNot(storageClass, registry.For(storageClass), "snap", SnapshotClass("snap", "ebs.csi.aws.com"));

        Assert.Contains("configured without snapshot support", why, StringComparison.Ordinal);
    }

    private static V1StorageClass StorageClass(string name, string provisioner) => new() { Metadata = new V1ObjectMeta { Name = name }, Provisioner = provisioner };

    private static V1VolumeSnapshotClass SnapshotClass(string name, string driver) => new() { Metadata = new V1ObjectMeta { Name = name }, Driver = driver };
}
