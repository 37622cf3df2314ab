using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes.Snapshots;
using k8s;

namespace Imprint.Operator.Tests.Kubernetes.Snapshots;

public sealed class V1VolumeSnapshotTests
{
    [Fact]
    public void Snapshot_read_from_the_external_snapshotter_json_keeps_its_fields_and_writes_them_back()
    {
        const string json = """
            {"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","metadata":{"name":"golden","namespace":"images"},
             "spec":{"source":{"persistentVolumeClaimName":"golden-disk"},"volumeSnapshotClassName":"csi-snap"},
             "status":{"readyToUse":false,"restoreSize":"2Gi","creationTime":"2026-12-05T15:04:16Z",
               "error":{"message":"driver busy","time":"2026-12-05T15:04:17.123456Z"}}}
            """;

        var snapshot = KubernetesJson.Deserialize<V1VolumeSnapshot>(json);
        var written = JsonNode.Parse(KubernetesJson.Serialize(snapshot))!;

        Assert.Equal("images", snapshot.Metadata.NamespaceProperty);
        Assert.Equal("golden-disk", snapshot.Spec.Source.PersistentVolumeClaimName);
        Assert.Equal("2Gi", snapshot.Status!.RestoreSize);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 15, 4, 17, TimeSpan.Zero).AddTicks(1234560), snapshot.Status.Error!.Time);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), written), written.ToJsonString());
    }

    [Fact]
    public void Snapshot_class_is_cluster_scoped_data_with_a_driver()
    {
        var snapshotClass = KubernetesJson.Deserialize<V1VolumeSnapshotClass>(
            """{"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshotClass","metadata":{"name":"csi-snap"},"driver":"hostpath.csi.k8s.io","deletionPolicy":"Delete"}""");

        Assert.Equal("hostpath.csi.k8s.io", snapshotClass.Driver);
        Assert.Null(snapshotClass.Metadata.NamespaceProperty);
        Assert.Equal("Delete", snapshotClass.DeletionPolicy);
    }
}
