using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Storage;

public sealed class StorageCapabilityRegistryTests
{
    [Theory]
    [InlineData("kubernetes.io/no-provisioner")]
    [InlineData("rancher.io/local-path")]
    [InlineData("kubernetes.io/host-path")]
    [InlineData("k8s-sigs.io/nfs-subdir-external-provisioner")]
    [InlineData("cluster.local/nfs-subdir-external-provisioner")]
    public void Provisioners_that_bind_empty_volumes_can_neither_clone_nor_restore(string provisioner)
    {
        var registry = new StorageCapabilityRegistry(new StorageOptions());

        var capabilities = registry.For(Class("local", provisioner));

        Assert.Contains($"StorageClass 'local' ({provisioner})", capabilities.CannotClone, StringComparison.Ordinal);
        Assert.Equal(capabilities.CannotClone, capabilities.CannotRestoreSnapshot);
    }

    [Fact]
    public void A_csi_driver_nothing_is_known_against_is_trusted_and_a_missing_class_too()
    {
        var registry = new StorageCapabilityRegistry(new StorageOptions());

        Assert.Equal(StorageClassCapabilities.Capable, registry.For(Class("fast", "ebs.csi.aws.com")));
        Assert.Equal(StorageClassCapabilities.Capable, registry.For(null));
    }

    [Fact]
    public void An_observed_clone_without_the_golden_disk_is_remembered_for_that_class_and_kind_only()
    {
        var registry = new StorageCapabilityRegistry(new StorageOptions());

        registry.RecordNotPopulated("blind", fromSnapshot: false, "the claim holds no disk");

        var blind = registry.For(Class("blind", "csi.example.com"));
        Assert.Contains("gave a claim without the golden disk before (the claim holds no disk)", blind.CannotClone, StringComparison.Ordinal);
        Assert.Null(blind.CannotRestoreSnapshot);
        Assert.Equal(StorageClassCapabilities.Capable, registry.For(Class("other", "csi.example.com")));
    }

    [Fact]
    public void The_administrators_setting_wins_over_the_provisioner_table_and_observations()
    {
        var options = new StorageOptions();
        options.Capabilities["local"] = new StorageClassCapabilityOption { Clone = true };
        options.Capabilities["fast"] = new StorageClassCapabilityOption { Snapshot = false };
        var registry = new StorageCapabilityRegistry(options);
        registry.RecordNotPopulated("local", fromSnapshot: false, "seen empty");

        var local = registry.For(Class("local", KnownProvisioners.NoProvisioner));
        var fast = registry.For(Class("fast", "ebs.csi.aws.com"));

        Assert.Null(local.CannotClone);
        Assert.NotNull(local.CannotRestoreSnapshot);
        Assert.Null(fast.CannotClone);
        Assert.Contains("configured without snapshot support (storage.capabilities)", fast.CannotRestoreSnapshot, StringComparison.Ordinal);
    }

    private static V1StorageClass Class(string name, string provisioner) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Provisioner = provisioner,
    };
}
