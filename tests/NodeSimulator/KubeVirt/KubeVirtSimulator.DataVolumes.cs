using System.Globalization;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>
/// CDI's DataVolume controllers (containerized-data-importer pkg/controller/datavolume), for two kinds of DataVolume:
/// <list type="bullet">
/// <item>External population (external-population-controller.go): <c>spec.storage</c> or <c>spec.pvc</c> with a
/// <c>dataSourceRef</c>/<c>dataSource</c> and no <c>spec.source</c>. CDI creates a claim of the DataVolume's name with
/// that reference and annotation <c>cdi.kubevirt.io/externalPopulation: "true"</c>, and leaves the work to the
/// populator. The phase is <c>PendingPopulation</c> while the claim waits for a first consumer (WaitForFirstConsumer
/// class, no <c>volume.kubernetes.io/selected-node</c>), otherwise <c>Succeeded</c> (event ExternalPopulationSucceeded)
/// as soon as the claim exists: CDI cannot see an external populator's progress, so — as upstream — a Succeeded
/// DataVolume's claim may still be Pending; its Bound condition says which. A class without a CSI driver gets
/// NoCSIDriverForExternalPopulation instead.</item>
/// <item>PVC clone (pvc-clone-controller.go, clone-controller-base.go): <c>spec.source.pvc</c>, or a <c>sourceRef</c>
/// to a DataSource resolved as populateSourceIfSourceRef does. CDI creates VolumeCloneSource
/// <c>volume-clone-source-&lt;dv uid&gt;</c> naming the source claim and a claim whose <c>dataSourceRef</c> names it. The
/// simulation stops there — CDI's clone populator, which would copy the disk, is not simulated — so the phase stays
/// <c>CloneScheduled</c> (<c>PendingPopulation</c> while waiting for a first consumer). A missing source is a
/// CloneWithoutSource event. Same-namespace clones only (cross-namespace ones need CDI's clone token).</item>
/// </list>
/// Both render the claim as newPersistentVolumeClaim does: labels <c>app: containerized-data-importer</c>,
/// <c>app.kubernetes.io/component: storage</c>, <c>app.kubernetes.io/managed-by: cdi-controller</c> (and
/// <c>alerts.k8s.io/KubePersistentVolumeFillingUp: disabled</c> for Filesystem) plus the DataVolume's labels; its
/// annotations plus the storage.* ones CDI adds; a controller owner reference to the DataVolume; <c>spec.storage</c>
/// completed from <see cref="KubeVirtSimulatorOptions"/> (the StorageProfile and CDIConfig stand-ins). Imports,
/// uploads and blank disks are not simulated.
/// </summary>
public sealed partial class KubeVirtSimulator
{
    public const string CdiApiVersion = "cdi.kubevirt.io/v1beta1";
    public const string AllowClaimAdoptionAnnotation = "cdi.kubevirt.io/allowClaimAdoption";
    public const string UsePopulatorAnnotation = "cdi.kubevirt.io/storage.usePopulator";
    public const string ExternalPopulationAnnotation = "cdi.kubevirt.io/externalPopulation";
    public const string CreatedForDataVolumeAnnotation = "cdi.kubevirt.io/createdForDataVolume";
    private const string ImmediateBindingAnnotation = "cdi.kubevirt.io/storage.bind.immediate.requested";
    private const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";
    private const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    private const string PopulatorComponent = "datavolume-external-population-controller";
    private const string CloneComponent = "datavolume-pvc-clone-controller";

    private enum DataVolumeOperation
    {
        NotSimulated,
        ExternalPopulation,
        PvcClone,
    }

    private bool ReconcileDataVolume(JsonObject dv)
    {
        if (Obj.IsDeleting(dv))
            return false;
        var operation = OperationOf(dv);
        if (operation == DataVolumeOperation.NotSimulated)
            return false;
        var ns = Obj.Namespace(dv);
        var name = Obj.Name(dv);
        var component = operation == DataVolumeOperation.PvcClone ? CloneComponent : PopulatorComponent;
        JsonObject? sourceClaim = null;
        if (operation == DataVolumeOperation.PvcClone)
        {
            if (ResolveCloneSource(dv) is not { } source)
                return false; // the DataSource is missing or not ready: CDI requeues with an error, status untouched
            var sourceNs = Obj.Str(source["namespace"]) ?? ns;
            if (sourceNs != ns)
            {
                _events.Record(dv, "Warning", "CloneNotSimulated", "cross-namespace clones need CDI's clone token; the simulator clones within a namespace only", component);
                return false;
            }
            sourceClaim = _server.Get("v1", "persistentvolumeclaims", ns, Obj.Str(source["name"]) ?? "");
            if (sourceClaim is null)
            {
                _events.Record(dv, "Warning", "CloneWithoutSource", $"The source pvc {Obj.Str(source["name"])} doesn't exist", component);
                return false;
            }
        }
        var claim = _server.Get("v1", "persistentvolumeclaims", ns, name);
        var wrote = false;
        var storageClass = claim is not null ? ClassOf(claim["spec"] as JsonObject) : ClassOf((dv["spec"]?["pvc"] ?? dv["spec"]?["storage"]) as JsonObject);
        var usePopulator = IsCsi(storageClass);
        if (claim is null)
        {
            if (Obj.Annotation(dv, UsePopulatorAnnotation) != (usePopulator ? "true" : "false"))
            {
                // updateDataVolumeUseCDIPopulator: recorded on the DataVolume before its claim is rendered.
                _server.Patch(CdiApiVersion, "datavolumes", ns, name, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [UsePopulatorAnnotation] = usePopulator ? "true" : "false" } },
                });
                return true;
            }
            if (RenderClaimSpec(dv, sourceClaim, out var error) is not { } spec)
            {
                _events.Record(dv, "Warning", "ErrClaimNotValid", error!, component);
                return false;
            }
            if (operation == DataVolumeOperation.PvcClone)
            {
                if (!usePopulator)
                {
                    _events.Record(dv, "Warning", "CloneNotSimulated", "host-assisted clones (classes without a CSI driver) are not simulated", component);
                    return false;
                }
                EnsureVolumeCloneSource(dv, Obj.Name(sourceClaim!));
                spec.Remove("dataSource");
                spec["dataSourceRef"] = new JsonObject { ["apiGroup"] = "cdi.kubevirt.io", ["kind"] = "VolumeCloneSource", ["name"] = VolumeCloneSourceName(dv) };
            }
            claim = _server.TryCreate(NewClaim(dv, spec, operation), out var createError);
            if (claim is null)
            {
                _events.Record(dv, "Warning", "ErrClaimNotValid", createError ?? "", component);
                return false;
            }
            wrote = true;
        }
        return UpdateDataVolumeStatus(dv, claim, operation, usePopulator, component) | wrote;
    }

    private static DataVolumeOperation OperationOf(JsonObject dv)
    {
        var spec = dv["spec"] as JsonObject ?? [];
        if (spec["sourceRef"] is JsonObject { } sourceRef && Obj.Str(sourceRef["kind"]) == "DataSource")
            return DataVolumeOperation.PvcClone;
        if (spec["source"]?["pvc"] is JsonObject)
            return DataVolumeOperation.PvcClone;
        var claimSpec = spec["storage"] ?? spec["pvc"];
        if (spec["source"] is null && (claimSpec?["dataSourceRef"] is JsonObject || claimSpec?["dataSource"] is JsonObject))
            return DataVolumeOperation.ExternalPopulation;
        return DataVolumeOperation.NotSimulated;
    }

    /// <summary>The source claim reference (name, namespace) of a clone, following a DataSource as populateSourceIfSourceRef does.</summary>
    private JsonObject? ResolveCloneSource(JsonObject dv)
    {
        var spec = dv["spec"] as JsonObject ?? [];
        if (spec["sourceRef"] is not JsonObject sourceRef)
            return spec["source"]?["pvc"] as JsonObject;
        var ns = Obj.Str(sourceRef["namespace"]) is { Length: > 0 } given ? given : Obj.Namespace(dv);
        if (!_server.Serves(CdiApiVersion, "datasources") || _server.Get(CdiApiVersion, "datasources", ns, Obj.Str(sourceRef["name"]) ?? "") is not { } dataSource)
            return null;
        var source = dataSource["spec"]?["source"]?["dataSource"] is not null ? dataSource["status"]?["source"] : dataSource["spec"]?["source"];
        return source?["pvc"] as JsonObject; // a snapshot source would be CDI's snapshot-clone controller: not simulated
    }

    /// <summary>renderPvcSpec: <c>spec.pvc</c> as given; <c>spec.storage</c> completed (access and volume modes, size with overhead).</summary>
    private JsonObject? RenderClaimSpec(JsonObject dv, JsonObject? sourceClaim, out string? error)
    {
        error = null;
        if (dv["spec"]?["pvc"] is JsonObject pvc)
            return (JsonObject)pvc.DeepClone();
        if (dv["spec"]?["storage"] is not JsonObject storage)
        {
            error = "datavolume one of {pvc, storage} field is required";
            return null;
        }
        var spec = new JsonObject();
        foreach (var key in new[] { "accessModes", "selector", "resources", "volumeName", "storageClassName", "volumeMode", "dataSource", "dataSourceRef" })
        {
            if (storage[key] is { } value)
                spec[key] = value.DeepClone();
        }
        if (spec["accessModes"] is not JsonArray { Count: > 0 })
            spec["accessModes"] = new JsonArray([.. _options.DefaultAccessModes.Select(m => (JsonNode?)JsonValue.Create(m))]);
        if (Obj.Str(spec["volumeMode"]) is not { Length: > 0 })
            spec["volumeMode"] = _options.DefaultVolumeMode;
        var requested = Quantity.Parse(Obj.Str(spec["resources"]?["requests"]?["storage"]) ?? Obj.Long(spec["resources"]?["requests"]?["storage"])?.ToString(CultureInfo.InvariantCulture));
        if (requested is null)
        {
            if (sourceClaim is null)
            {
                error = "PVC Spec is not valid - missing storage size";
                return null;
            }
            // Simplified: CDI detects a clone's size (annotations or a size-detection pod); here it is the source's capacity.
            requested = Quantity.Parse(Obj.Str(sourceClaim["status"]?["capacity"]?["storage"]) ?? Obj.Str(sourceClaim["spec"]?["resources"]?["requests"]?["storage"])) ?? 0;
        }
        else if (requested < 1 << 20)
        {
            error = "PVC Spec is not valid - storage size should be at least 1MiB";
            return null;
        }
        if (Obj.Str(spec["volumeMode"]) == "Filesystem")
        {
            // GetRequiredSpace: aligned up to 1 MiB, then the filesystem overhead on top.
            var aligned = (requested.Value + (1 << 20) - 1) / (1 << 20) * (1 << 20);
            requested = (long)Math.Ceiling(aligned * (1 + _options.FilesystemOverhead));
        }
        var resources = spec["resources"] as JsonObject ?? (JsonObject)(spec["resources"] = new JsonObject());
        var requests = resources["requests"] as JsonObject ?? (JsonObject)(resources["requests"] = new JsonObject());
        requests["storage"] = requested.Value.ToString(CultureInfo.InvariantCulture);
        return spec;
    }

    private static JsonObject NewClaim(JsonObject dv, JsonObject spec, DataVolumeOperation operation)
    {
        var labels = new JsonObject
        {
            ["app"] = "containerized-data-importer",
            ["app.kubernetes.io/component"] = "storage",
            ["app.kubernetes.io/managed-by"] = "cdi-controller",
        };
        if (Obj.Str(spec["volumeMode"]) != "Block")
            labels["alerts.k8s.io/KubePersistentVolumeFillingUp"] = "disabled";
        foreach (var (key, value) in dv["metadata"]?["labels"] as JsonObject ?? [])
            labels[key] = value?.DeepClone();
        var annotations = Map(dv["metadata"]?["annotations"]);
        annotations["cdi.kubevirt.io/storage.pod.restarts"] = "0";
        annotations["cdi.kubevirt.io/storage.contentType"] = Obj.Str(dv["spec"]?["contentType"]) ?? "kubevirt";
        annotations["cdi.kubevirt.io/storage.preallocation.requested"] = Obj.Bool(dv["spec"]?["preallocation"]) ? "true" : "false";
        annotations[CreatedForDataVolumeAnnotation] = Obj.Uid(dv);
        if (Obj.Str(dv["spec"]?["priorityClassName"]) is { Length: > 0 } priority)
            annotations["cdi.kubevirt.io/storage.pod.priorityclassname"] = priority;
        if (operation == DataVolumeOperation.ExternalPopulation)
            annotations[ExternalPopulationAnnotation] = "true";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject
            {
                ["name"] = Obj.Name(dv),
                ["namespace"] = Obj.Namespace(dv),
                ["labels"] = labels,
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(ControllerReference(dv)),
            },
            ["spec"] = spec,
        };
    }

    private static string VolumeCloneSourceName(JsonObject dv) => $"volume-clone-source-{Obj.Uid(dv)}";

    private void EnsureVolumeCloneSource(JsonObject dv, string sourceClaim)
    {
        if (_server.Get(CdiApiVersion, "volumeclonesources", Obj.Namespace(dv), VolumeCloneSourceName(dv)) is not null)
            return;
        var spec = new JsonObject { ["source"] = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = sourceClaim } };
        if (dv["spec"]?["preallocation"] is { } preallocation)
            spec["preallocation"] = preallocation.DeepClone();
        if (Obj.Str(dv["spec"]?["priorityClassName"]) is { Length: > 0 } priority)
            spec["priorityClassName"] = priority;
        _server.TryCreate(new JsonObject
        {
            ["apiVersion"] = CdiApiVersion,
            ["kind"] = "VolumeCloneSource",
            ["metadata"] = new JsonObject
            {
                ["name"] = VolumeCloneSourceName(dv),
                ["namespace"] = Obj.Namespace(dv),
                ["ownerReferences"] = new JsonArray(ControllerReference(dv)),
            },
            ["spec"] = spec,
        }, out _);
    }

    /// <summary>updateStatus of controller-base.go: phase from the claim, claimName, progress N/A, conditions Bound/Ready/Running, events on change.</summary>
    private bool UpdateDataVolumeStatus(JsonObject dv, JsonObject claim, DataVolumeOperation operation, bool usePopulator, string component)
    {
        if (Obj.IsDeleting(claim))
            return false;
        var status = Map(dv["status"]);
        var before = Obj.Str(status["phase"]);
        var phase = before;
        (string Type, string Reason, string Message)? phaseEvent = null;
        var claimPhase = Obj.Str(claim["status"]?["phase"]);
        var populated = usePopulator && claim["spec"]?["dataSourceRef"] is not null;
        string Done()
        {
            if (operation == DataVolumeOperation.PvcClone)
                return "CloneScheduled"; // CDI's clone populator would take it from here: not simulated
            if (!usePopulator && claim["spec"]?["dataSourceRef"]?["kind"] is not null && ClassOf(claim["spec"] as JsonObject) is var storageClass && !IsCsi(storageClass))
            {
                _events.Record(claim, "Warning", "NoCSIDriverForExternalPopulation", "No CSI drivers were found: External population not supported", component);
                phaseEvent = ("Warning", "NoCSIDriverForExternalPopulation", "No CSI drivers were found: External population not supported");
                return phase ?? "";
            }
            var populator = Obj.Str(claim["spec"]?["dataSourceRef"]?["name"]) ?? Obj.Str(claim["spec"]?["dataSource"]?["name"]);
            phaseEvent = ("Normal", "ExternalPopulationSucceeded", $"PVC {Obj.Name(claim)} successfully populated by {populator}");
            return "Succeeded";
        }
        switch (claimPhase)
        {
            case "Bound":
                if (phase is null or "" or "Pending" or "WaitForFirstConsumer" or "Unknown")
                    phase = "PVCBound";
                phase = Done();
                break;
            case "Lost":
                phase = "Failed";
                phaseEvent = ("Warning", "ErrClaimLost", $"PVC {Obj.Name(claim)} lost");
                break;
            default: // Pending (the fake API server leaves a new claim's status empty until the provisioner looks at it)
                var waitsForConsumer = WaitsForFirstConsumer(claim);
                if (populated)
                    phase = waitsForConsumer ? "PendingPopulation" : Done();
                else
                    phase = waitsForConsumer ? "WaitForFirstConsumer" : "Pending";
                break;
        }
        status["phase"] = phase;
        status["claimName"] = Obj.Name(claim);
        if (status["progress"] is null)
            status["progress"] = "N/A";
        var conditions = status["conditions"] as JsonArray ?? [];
        var boundBefore = conditions.OfType<JsonObject>().FirstOrDefault(c => Obj.Str(c["type"]) == "Bound")?.DeepClone() as JsonObject;
        if (claimPhase == "Bound")
            SetCondition(conditions, "Bound", "True", "Bound", $"PVC {Obj.Name(claim)} Bound");
        else if (claimPhase == "Lost")
            SetCondition(conditions, "Bound", "False", "ClaimLost", "Claim Lost");
        else
            SetCondition(conditions, "Bound", "False", "Pending", $"PVC {Obj.Name(claim)} Pending");
        SetCondition(conditions, "Ready", phase == "Succeeded" ? "True" : "False", "", "");
        SetCondition(conditions, "Running", "False", "", "");
        status["conditions"] = conditions;
        if (!WriteStatus(CdiApiVersion, "datavolumes", dv, status))
            return false;
        if (phaseEvent is { } e && before != phase)
            _events.Record(dv, e.Type, e.Reason, e.Message, component);
        var bound = conditions.OfType<JsonObject>().First(c => Obj.Str(c["type"]) == "Bound");
        if (boundBefore is null || Obj.Str(boundBefore["status"]) != Obj.Str(bound["status"]) || Obj.Str(boundBefore["reason"]) != Obj.Str(bound["reason"]))
            _events.Record(dv, "Normal", Obj.Str(bound["reason"]) ?? "", Obj.Str(bound["message"]) ?? "", component);
        return true;
    }

    /// <summary>shouldBeMarkedPendingPopulation: a WaitForFirstConsumer class, no selected node, no immediate-binding request.</summary>
    private bool WaitsForFirstConsumer(JsonObject claim) =>
        Obj.Str(ClassOf(claim["spec"] as JsonObject)?["volumeBindingMode"]) == "WaitForFirstConsumer"
        && Obj.Annotation(claim, SelectedNodeAnnotation) is null
        && Obj.Annotation(claim, ImmediateBindingAnnotation) is null;

    /// <summary>The claim spec's StorageClass, or the default class when it names none.</summary>
    private JsonObject? ClassOf(JsonObject? claimSpec)
    {
        if (claimSpec?["storageClassName"] is { } named)
            return Obj.Str(named) is { Length: > 0 } name ? _server.Get("storage.k8s.io/v1", "storageclasses", null, name) : null;
        return _server.List("storage.k8s.io/v1", "storageclasses").FirstOrDefault(c => Obj.Annotation(c, DefaultClassAnnotation) == "true");
    }

    /// <summary>storageClassCSIDriverExists, with every provisioner but the static one counting as a CSI driver (the fake serves no CSIDriver objects).</summary>
    private static bool IsCsi(JsonObject? storageClass) =>
        storageClass is not null && Obj.Str(storageClass["provisioner"]) is { Length: > 0 } provisioner && provisioner != NodeSimulator.NoProvisioner;
}
