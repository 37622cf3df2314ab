using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>The snapshot controller with the host-folder driver: a VolumeSnapshot of a Bound claim is a copy of its volume.</summary>
public sealed partial class NodeSimulator
{
    private void ReconcileSnapshot(string ns, string name)
    {
        if (_server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", ns, name) is not { } snapshot || Obj.IsDeleting(snapshot))
            return;
        if (Obj.Bool(snapshot["status"]?["readyToUse"]))
            return;
        if (Obj.Str(snapshot["spec"]?["source"]?["persistentVolumeClaimName"]) is not { } claimName)
        {
            SnapshotError(snapshot, "pre-provisioned snapshots (spec.source.volumeSnapshotContentName) are not simulated");
            return;
        }
        var pvc = _server.Get("v1", "persistentvolumeclaims", ns, claimName);
        if (pvc is null)
        {
            SnapshotError(snapshot, $"failed to take snapshot of the volume for snapshot {ns}/{name}: persistentvolumeclaims \"{claimName}\" not found");
            return;
        }
        if (Obj.Str(pvc["status"]?["phase"]) != "Bound")
        {
            SnapshotError(snapshot, $"the PVC {claimName} is not yet bound to a PV, will not attempt to take a snapshot");
            return;
        }
        var mode = ModeOf(pvc);
        VolumeStore.Copy(_store.ClaimPath(_server, pvc), _store.SnapshotPath(ns, name, mode), mode);
        PatchStatus("snapshot.storage.k8s.io/v1", "volumesnapshots", snapshot, new JsonObject
        {
            ["boundVolumeSnapshotContentName"] = $"snapcontent-{Obj.Uid(snapshot)}",
            ["creationTime"] = Obj.Now(),
            ["readyToUse"] = true,
            ["restoreSize"] = Obj.Str(pvc["status"]?["capacity"]?["storage"]) ?? "0",
        });
    }

    private void SnapshotError(JsonObject snapshot, string message)
    {
        if (Obj.Str(snapshot["status"]?["error"]?["message"]) == message)
            return;
        PatchStatus("snapshot.storage.k8s.io/v1", "volumesnapshots", snapshot, new JsonObject
        {
            ["readyToUse"] = false,
            ["error"] = new JsonObject { ["message"] = message, ["time"] = Obj.Now() },
        });
    }

    private void SnapshotDeleted(JsonObject snapshot)
    {
        var ns = Obj.Namespace(snapshot);
        var name = Obj.Name(snapshot);
        if (_server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", ns, name) is null)
        {
            VolumeStore.Delete(_store.SnapshotPath(ns, name, VolumeMode.Filesystem));
            VolumeStore.Delete(_store.SnapshotPath(ns, name, VolumeMode.Block));
        }
    }
}
