using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>
/// CDI's datasource-controller (containerized-data-importer pkg/controller/datasource-controller.go): condition
/// <c>Ready</c> True (reason Ready, "DataSource is ready to be consumed") when the source claim exists and no
/// DataVolume of its name is unfinished; False with NotFound ("PVC not found"), the DataVolume's phase ("Import
/// DataVolume phase …"), NoSource, or for snapshots "Snapshot not found"/SnapshotNotReady. <c>status.source</c> is the
/// resolved source while Ready and empty otherwise; a <c>spec.source.dataSource</c> is followed one level.
/// DataSource has no status subresource upstream, so status is written with the object.
/// </summary>
public sealed partial class KubeVirtSimulator
{
    private bool ReconcileDataSource(JsonObject dataSource)
    {
        if (Obj.IsDeleting(dataSource))
            return false;
        var ns = Obj.Namespace(dataSource);
        var status = Map(dataSource["status"]);
        var conditions = status["conditions"] as JsonArray ?? [];
        var source = dataSource["spec"]?["source"] as JsonObject ?? [];
        (string Status, string Reason, string Message) ready;
        if (source["dataSource"] is JsonObject reference)
        {
            var target = _server.Get(CdiApiVersion, "datasources", Obj.Str(reference["namespace"]) ?? ns, Obj.Str(reference["name"]) ?? "");
            if (target is null)
            {
                ready = ("False", "NotFound", $"datasources.cdi.kubevirt.io \"{Obj.Str(reference["name"])}\" not found");
                source = [];
            }
            else if (target["spec"]?["source"]?["dataSource"] is not null)
            {
                ready = ("False", "MaxReferenceDepthReached", "DataSource reference chain exceeds maximum depth of 1");
                source = [];
            }
            else
            {
                source = target["spec"]?["source"] as JsonObject ?? [];
                ready = SourceReadiness(source, ns);
            }
        }
        else
        {
            ready = SourceReadiness(source, ns);
        }
        SetCondition(conditions, "Ready", ready.Status, ready.Reason, ready.Message);
        status["conditions"] = conditions;
        status["source"] = ready.Status == "True" ? source.DeepClone() : new JsonObject();
        return WriteStatus(CdiApiVersion, "datasources", dataSource, status, subresource: false);
    }

    private (string Status, string Reason, string Message) SourceReadiness(JsonObject source, string ns)
    {
        if (source["pvc"] is JsonObject pvc)
        {
            var claimNs = Obj.Str(pvc["namespace"]) is { Length: > 0 } given ? given : ns;
            var name = Obj.Str(pvc["name"]) ?? "";
            var claim = _server.Get("v1", "persistentvolumeclaims", claimNs, name);
            var dv = _server.Serves(CdiApiVersion, "datavolumes") ? _server.Get(CdiApiVersion, "datavolumes", claimNs, name) : null;
            if (dv is not null && Obj.Str(dv["status"]?["phase"]) != "Succeeded")
            {
                var phase = Obj.Str(dv["status"]?["phase"]) ?? "";
                return ("False", phase, $"Import DataVolume phase {phase}");
            }
            if (dv is null && claim is null)
                return ("False", "NotFound", "PVC not found");
            return ("True", "Ready", "DataSource is ready to be consumed");
        }
        if (source["snapshot"] is JsonObject snapshot)
        {
            var found = _server.Serves("snapshot.storage.k8s.io/v1", "volumesnapshots")
                ? _server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", Obj.Str(snapshot["namespace"]) is { Length: > 0 } s ? s : ns, Obj.Str(snapshot["name"]) ?? "")
                : null;
            if (found is null)
                return ("False", "NotFound", "Snapshot not found");
            return Obj.Bool(found["status"]?["readyToUse"]) ? ("True", "Ready", "DataSource is ready to be consumed") : ("False", "SnapshotNotReady", "Snapshot phase is not ready");
        }
        return ("False", "NoSource", "No source PVC set");
    }
}
