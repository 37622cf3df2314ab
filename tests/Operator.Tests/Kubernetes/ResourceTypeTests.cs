using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Snapshots;
using k8s.Models;

namespace Imprint.Operator.Tests.Kubernetes;

public sealed class ResourceTypeTests
{
    [Fact]
    public void Built_in_kinds_are_located_by_the_library_models_entity_attribute()
    {
        Assert.Equal(new ResourceType(string.Empty, "v1", "PersistentVolumeClaim", "persistentvolumeclaims"), ResourceType.Of<V1PersistentVolumeClaim>());
        Assert.Equal(new ResourceType("batch", "v1", "Job", "jobs"), ResourceType.Of<V1Job>());
        Assert.Equal("coordination.k8s.io/v1", ResourceType.Of<V1Lease>().ApiVersion);
        Assert.Equal("v1", ResourceType.Of<V1Pod>().ApiVersion);
    }

    [Fact]
    public void Our_kinds_are_located_by_their_own_entity_attribute_and_agree_with_their_api_version()
    {
        Assert.Equal(new ResourceType("imprint.dev", "v1alpha1", "GoldenImage", "goldenimages"), ResourceType.Of<V1Alpha1GoldenImage>());
        Assert.Equal(new V1Alpha1VmClone().ApiVersion, ResourceType.Of<V1Alpha1VmClone>().ApiVersion);
        Assert.Equal(new ResourceType("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses"), ResourceType.Of<V1VolumeSnapshotClass>());
        Assert.Equal(new V1VolumeSnapshot().ApiVersion, ResourceType.Of<V1VolumeSnapshot>().ApiVersion);
    }

    [Fact]
    public void A_class_without_an_entity_attribute_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ResourceType.Of<ResourceTypeTests>());

        Assert.Contains(nameof(ResourceTypeTests), error.Message, StringComparison.Ordinal);
    }
}
