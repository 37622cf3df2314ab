using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>
/// virt-controller's VM controller, its DataVolume part only (kubevirt pkg/virt-controller/watch/vm/vm.go
/// handleDataVolumes, watch/util CreateDataVolumeManifest, pkg/storage/types GenerateDataVolumeFromTemplate): a
/// DataVolume per <c>spec.dataVolumeTemplates</c> entry that does not exist yet, named as the template, with its
/// labels and annotations plus <c>kubevirt.io/created-by: &lt;vm uid&gt;</c> and
/// <c>cdi.kubevirt.io/allowClaimAdoption: "true"</c>, a controller owner reference to the VM, the VMI's
/// priorityClassName when the template has none, and a <c>sourceRef</c> to a DataSource resolved into
/// <c>spec.source</c> (GetResolvedCloneSource). Events SuccessfulDataVolumeCreate / FailedDataVolumeCreate on the VM.
/// No VirtualMachineInstance is ever created and the VM's status is not written.
/// </summary>
public sealed partial class KubeVirtSimulator
{
    public const string VmApiVersion = "kubevirt.io/v1";
    public const string CreatedByLabel = "kubevirt.io/created-by";
    private const string VmComponent = "virtualmachine-controller";

    private bool ReconcileVirtualMachine(JsonObject vm)
    {
        if (Obj.IsDeleting(vm))
            return ReleaseDeletedPoolMember(vm);
        var wrote = false;
        var ns = Obj.Namespace(vm);
        foreach (var template in Obj.Objects(vm["spec"]?["dataVolumeTemplates"]))
        {
            var name = Obj.Str(template["metadata"]?["name"]) ?? "";
            if (_server.Serves(CdiApiVersion, "datavolumes") && _server.Get(CdiApiVersion, "datavolumes", ns, name) is not null)
                continue;
            if (NewDataVolume(vm, template) is not { } dataVolume)
                continue; // the DataSource it names is not there yet: virt-controller retries
            var error = "the server could not find the requested resource"; // CDI not installed
            var created = _server.Serves(CdiApiVersion, "datavolumes") ? _server.TryCreate(dataVolume, out error) : null;
            if (created is not null)
                _events.Record(vm, "Normal", "SuccessfulDataVolumeCreate", $"Created DataVolume {name}", VmComponent);
            else
                _events.Record(vm, "Warning", "FailedDataVolumeCreate", $"Error creating DataVolume {name}: {error}", VmComponent);
            wrote |= created is not null;
        }
        return wrote;
    }

    private JsonObject? NewDataVolume(JsonObject vm, JsonObject template)
    {
        var metadata = Map(template["metadata"]);
        metadata["namespace"] = Obj.Namespace(vm);
        var labels = Map(metadata["labels"]);
        labels[CreatedByLabel] = Obj.Uid(vm);
        metadata["labels"] = labels;
        var annotations = Map(metadata["annotations"]);
        annotations[AllowClaimAdoptionAnnotation] = "true";
        metadata["annotations"] = annotations;
        metadata["ownerReferences"] = new JsonArray(ControllerReference(vm));
        var spec = Map(template["spec"]);
        if (string.IsNullOrEmpty(Obj.Str(spec["priorityClassName"])) && Obj.Str(vm["spec"]?["template"]?["spec"]?["priorityClassName"]) is { Length: > 0 } priority)
            spec["priorityClassName"] = priority;
        if (spec["sourceRef"] is JsonObject { } sourceRef && Obj.Str(sourceRef["kind"]) == "DataSource")
        {
            var sourceNs = Obj.Str(sourceRef["namespace"]) ?? Obj.Namespace(vm);
            if (!_server.Serves(CdiApiVersion, "datasources") || _server.Get(CdiApiVersion, "datasources", sourceNs, Obj.Str(sourceRef["name"]) ?? "") is not { } dataSource)
                return null;
            var resolved = dataSource["spec"]?["source"]?["dataSource"] is not null ? dataSource["status"]?["source"] : dataSource["spec"]?["source"];
            var source = new JsonObject();
            foreach (var key in new[] { "pvc", "snapshot" })
            {
                if (resolved?[key] is JsonObject reference)
                {
                    var copy = (JsonObject)reference.DeepClone();
                    if (string.IsNullOrEmpty(Obj.Str(copy["namespace"])))
                        copy["namespace"] = sourceNs;
                    source[key] = copy;
                }
            }
            if (source.Count > 0)
            {
                spec.Remove("sourceRef");
                spec["source"] = source;
            }
        }
        else if (spec["source"]?["pvc"] is JsonObject pvc && string.IsNullOrEmpty(Obj.Str(pvc["namespace"])))
        {
            pvc["namespace"] = Obj.Namespace(vm);
        }
        return new JsonObject
        {
            ["apiVersion"] = CdiApiVersion,
            ["kind"] = "DataVolume",
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }
}
