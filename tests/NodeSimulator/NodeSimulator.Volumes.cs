using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// The CSI external-provisioner with a host-folder driver: empty volumes, CSI clones (PVC dataSource) and restores
/// (VolumeSnapshot dataSource), binding per the class's volumeBindingMode, ProvisioningFailed events as the real
/// sidecar writes them.
/// </summary>
public sealed partial class NodeSimulator
{
    /// <summary>
    /// On a StorageClass: <c>reject</c> makes the driver refuse CSI clones (as drivers without CLONE_VOLUME do);
    /// <c>ignore</c> makes it provision an empty volume whatever the dataSource (a driver that does not look at it).
    /// </summary>
    public const string CloneAnnotation = "simulator.imprint.dev/clone";

    /// <summary>The provisioner of classes for static volumes: nothing provisions, claims bind to existing PersistentVolumes.</summary>
    public const string NoProvisioner = "kubernetes.io/no-provisioner";

    private const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";
    private const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    private const string SnapshotGroup = "snapshot.storage.k8s.io";

    /// <summary>
    /// Creates a Bound PVC whose volume already holds a copy of <paramref name="imagePath"/> (as <c>disk.img</c> in
    /// the folder, or as the block file); its size is the image's unless <paramref name="capacity"/> (bytes) says more, as
    /// when a small image sits in a large volume.
    /// </summary>
    public JsonObject SeedPvc(string ns, string name, string imagePath, VolumeMode mode = VolumeMode.Filesystem, string? storageClass = null, long? capacity = null)
    {
        var size = Quantity.Format(Math.Max(capacity ?? 0, new FileInfo(imagePath).Length));
        VolumeStore.Seed(imagePath, _store.VolumePath(ns, name, mode), mode);
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
            ["volumeMode"] = mode.ToString(),
            ["volumeName"] = $"pvc-{Guid.NewGuid()}",
        };
        if (storageClass is not null)
            spec["storageClassName"] = storageClass;
        return _server.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["annotations"] = new JsonObject { ["pv.kubernetes.io/bind-completed"] = "yes", ["pv.kubernetes.io/bound-by-controller"] = "yes" },
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["capacity"] = new JsonObject { ["storage"] = size },
            },
        });
    }

    /// <summary>The host path of a claim's disk: <c>volumes/&lt;ns&gt;/&lt;pvc&gt;/disk.img</c> or <c>volumes/&lt;ns&gt;/&lt;pvc&gt;.block</c>.</summary>
    public string DiskPath(string ns, string pvc)
    {
        var claim = _server.Get("v1", "persistentvolumeclaims", ns, pvc);
        var mode = claim is not null ? ModeOf(claim)
            : File.Exists(_store.VolumePath(ns, pvc, VolumeMode.Block)) ? VolumeMode.Block : VolumeMode.Filesystem;
        var path = claim is not null ? _store.ClaimPath(_server, claim) : _store.VolumePath(ns, pvc, mode);
        return mode == VolumeMode.Block ? path : Path.Combine(path, VolumeStore.DiskFile);
    }

    /// <summary>The host path of a snapshot's copy (a folder, or a <c>.block</c> file for a Block source).</summary>
    public string SnapshotPath(string ns, string snapshot) =>
        _store.SnapshotPath(ns, snapshot, _store.SnapshotMode(ns, snapshot) ?? VolumeMode.Filesystem);

    /// <summary>
    /// Adds a static PersistentVolume of <paramref name="storageClass"/>, as an administrator does for local volumes: a
    /// PersistentVolume object (reclaim policy Retain, <c>spec.local.path</c> naming its empty store on this node,
    /// phase Available). A claim of that class binds to the smallest Available one that fits, as the PV controller
    /// does, and — like Kubernetes — ignores the claim's dataSource: the volume is empty.
    /// </summary>
    public JsonObject CreateStaticVolume(string name, string storageClass, long size, VolumeMode mode = VolumeMode.Filesystem)
    {
        var path = _store.StaticPath(name, mode);
        VolumeStore.Delete(path);
        _store.CreateEmpty(path, mode, size);
        var volume = _server.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["storage"] = Quantity.Format(size) },
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["volumeMode"] = mode.ToString(),
                ["storageClassName"] = storageClass,
                ["persistentVolumeReclaimPolicy"] = "Retain",
                ["local"] = new JsonObject { ["path"] = path },
                ["nodeAffinity"] = new JsonObject
                {
                    ["required"] = new JsonObject
                    {
                        ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject
                            {
                                ["key"] = "kubernetes.io/hostname",
                                ["operator"] = "In",
                                ["values"] = new JsonArray(_options.NodeName),
                            }),
                        }),
                    },
                },
            },
        });
        volume = PatchStatus("v1", "persistentvolumes", volume, new JsonObject { ["phase"] = "Available" }) ?? volume;
        Enqueue(new(WorkKind.Waiters, "", ""));
        return volume;
    }

    /// <summary>The static volumes (PersistentVolumes with <c>spec.local</c>), the claim each is bound to (namespace/name) or null, and whether it is Released.</summary>
    public IReadOnlyList<(string Name, string? Claim, bool Released)> StaticVolumes =>
        [.. _server.List("v1", "persistentvolumes").Where(v => v["spec"]?["local"] is not null).Select(v =>
        {
            var phase = Obj.Str(v["status"]?["phase"]);
            var claim = phase == "Bound" && v["spec"]?["claimRef"] is JsonObject r ? $"{Obj.Str(r["namespace"])}/{Obj.Str(r["name"])}" : null;
            return (Obj.Name(v), claim, phase == "Released");
        })];

    public JsonObject CreateStorageClass(string name, VolumeBindingMode bindingMode = VolumeBindingMode.Immediate, bool rejectClones = false,
        string? provisioner = null, bool isDefault = false, bool ignoreDataSource = false)
    {
        var annotations = new JsonObject();
        if (rejectClones)
            annotations[CloneAnnotation] = "reject";
        if (ignoreDataSource)
            annotations[CloneAnnotation] = "ignore";
        if (isDefault)
            annotations[DefaultClassAnnotation] = "true";
        return _server.Put(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = annotations },
            ["provisioner"] = provisioner ?? _options.Provisioner,
            ["reclaimPolicy"] = "Delete",
            ["volumeBindingMode"] = bindingMode.ToString(),
            ["allowVolumeExpansion"] = true,
        });
    }

    /// <summary>A VolumeSnapshotClass for <paramref name="driver"/> (default: this simulator's CSI driver).</summary>
    public JsonObject CreateVolumeSnapshotClass(string name, string? driver = null) => _server.Put(new JsonObject
    {
        ["apiVersion"] = "snapshot.storage.k8s.io/v1",
        ["kind"] = "VolumeSnapshotClass",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["driver"] = driver ?? _options.Provisioner,
        ["deletionPolicy"] = "Delete",
    });

    private static VolumeMode ModeOf(JsonObject pvc) => Obj.Str(pvc["spec"]?["volumeMode"]) == "Block" ? VolumeMode.Block : VolumeMode.Filesystem;

    /// <summary>The claim's StorageClass object: named, or the default class when the name is unset; null when there is none.</summary>
    private JsonObject? ClassOf(JsonObject pvc)
    {
        var spec = pvc["spec"] as JsonObject ?? [];
        if (spec.ContainsKey("storageClassName"))
        {
            var name = Obj.Str(spec["storageClassName"]);
            return string.IsNullOrEmpty(name) ? null : _server.Get("storage.k8s.io/v1", "storageclasses", null, name);
        }
        return _server.List("storage.k8s.io/v1", "storageclasses").FirstOrDefault(c => Obj.Annotation(c, DefaultClassAnnotation) == "true");
    }

    private static VolumeBindingMode BindingMode(JsonObject? storageClass) =>
        Obj.Str(storageClass?["volumeBindingMode"]) == "WaitForFirstConsumer" ? VolumeBindingMode.WaitForFirstConsumer : VolumeBindingMode.Immediate;

    private string ProvisionerOf(JsonObject? storageClass) => Obj.Str(storageClass?["provisioner"]) ?? _options.Provisioner;

    private void ReconcileClaim(string ns, string name)
    {
        if (_server.Get("v1", "persistentvolumeclaims", ns, name) is not { } pvc || Obj.IsDeleting(pvc))
            return;
        if (Obj.Str(pvc["status"]?["phase"]) == "Bound")
            return;
        if (Obj.Str(pvc["status"]?["phase"]) is null)
        {
            // The API server sets this at creation; the fake leaves status empty.
            pvc = PatchStatus("v1", "persistentvolumeclaims", pvc, new JsonObject { ["phase"] = "Pending" }) ?? pvc;
        }
        if (BindPreBound(pvc))
            return;
        var storageClass = ClassOf(pvc);
        var className = Obj.Str(storageClass?["metadata"]?["name"]) ?? "";
        if (BindingMode(storageClass) == VolumeBindingMode.WaitForFirstConsumer && Obj.Annotation(pvc, SelectedNodeAnnotation) is null)
        {
            _events.Record(pvc, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding", "persistentvolume-controller");
            return;
        }
        var provisioner = ProvisionerOf(storageClass);
        var component = $"{provisioner}_{_options.NodeName}";
        var source = pvc["spec"]?["dataSourceRef"] as JsonObject ?? pvc["spec"]?["dataSource"] as JsonObject;
        var mode = ModeOf(pvc);
        var size = Quantity.Parse(Obj.Str(pvc["spec"]?["resources"]?["requests"]?["storage"])) ?? 0;
        var target = _store.VolumePath(ns, name, mode);
        if (BindStatic(pvc, className, mode, size))
            return;
        if (provisioner == NoProvisioner)
        {
            _events.Record(pvc, "Normal", "ExternalProvisioning",
                $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. "
                + "If volume creation is delayed, please verify that the provisioner is running and correctly registered.", "persistentvolume-controller");
            return;
        }
        if (Obj.Annotation(storageClass ?? [], CloneAnnotation) == "ignore")
            source = null; // this driver never looks at the dataSource
        string? error;
        if (source is null)
        {
            _store.CreateEmpty(target, mode, size);
            error = null;
        }
        else if (Obj.Str(source["kind"]) == "PersistentVolumeClaim" && string.IsNullOrEmpty(Obj.Str(source["apiGroup"])))
        {
            error = Clone(pvc, Obj.Str(source["name"]) ?? "", storageClass, className, provisioner, mode, size, target);
        }
        else if (Obj.Str(source["kind"]) == "VolumeSnapshot" && Obj.Str(source["apiGroup"]) == SnapshotGroup)
        {
            error = Restore(ns, name, Obj.Str(source["name"]) ?? "", mode, size, target);
        }
        else
        {
            return; // a populator's kind: the real provisioner leaves it to that populator
        }
        if (error is not null)
        {
            _events.Record(pvc, "Normal", "Provisioning", $"External provisioner is provisioning volume for claim \"{ns}/{name}\"", component);
            _events.Record(pvc, "Warning", "ProvisioningFailed", $"failed to provision volume with StorageClass \"{className}\": {error}", component);
            return;
        }
        Bind(pvc, provisioner, component, reclaimPolicy: Obj.Str(storageClass?["reclaimPolicy"]) ?? "Delete");
    }

    private string? Clone(JsonObject pvc, string sourceName, JsonObject? storageClass, string className, string provisioner, VolumeMode mode, long size, string target)
    {
        var ns = Obj.Namespace(pvc);
        var prefix = $"error getting handle for DataSource Type PersistentVolumeClaim by Name {sourceName}: ";
        if (_server.Get("v1", "persistentvolumeclaims", ns, sourceName) is not { } source)
            return prefix + $"error getting PVC {sourceName} (namespace \"{ns}\") from api server: persistentvolumeclaims \"{sourceName}\" not found";
        if (Obj.Annotation(storageClass ?? [], CloneAnnotation) == "reject")
            return prefix + $"rpc error: code = InvalidArgument desc = driver {provisioner} does not support cloning (StorageClass \"{className}\" sets {CloneAnnotation}: reject)";
        var sourceProvisioner = ProvisionerOf(ClassOf(source));
        if (sourceProvisioner != provisioner)
        {
            return prefix + $"the source PVC and destination PVCs must be provisioned by the same CSI driver for cloning. "
                + $"Source is provisioned by {sourceProvisioner}, but new PVC is in StorageClass \"{className}\" of {provisioner}";
        }
        if (Obj.Str(source["status"]?["phase"]) != "Bound" || string.IsNullOrEmpty(Obj.Str(source["spec"]?["volumeName"])))
            return prefix + $"the PVC DataSource {sourceName} must have a status of Bound. Got {{Phase:{Obj.Str(source["status"]?["phase"]) ?? "Pending"}}}";
        var sourceMode = ModeOf(source);
        if (sourceMode != mode)
            return prefix + $"the source PVC {sourceName} has volumeMode {sourceMode}, but the new PVC asks for {mode}";
        var capacity = Quantity.Parse(Obj.Str(source["status"]?["capacity"]?["storage"])) ?? 0;
        if (size < capacity)
            return prefix + $"error, new PVC request must be greater than or equal in size to the specified PVC data source, requested {size} but source is {capacity}";
        VolumeStore.Copy(_store.ClaimPath(_server, source), target, mode, size);
        return null;
    }

    private string? Restore(string ns, string claimName, string snapshotName, VolumeMode mode, long size, string target)
    {
        var prefix = $"error getting handle for DataSource Type VolumeSnapshot by Name {snapshotName}: ";
        if (_server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", ns, snapshotName) is not { } snapshot)
            return prefix + $"error getting snapshot {snapshotName} from api server: volumesnapshots.snapshot.storage.k8s.io \"{snapshotName}\" not found";
        if (Obj.IsDeleting(snapshot))
            return prefix + $"snapshot {snapshotName} is currently being deleted";
        if (!Obj.Bool(snapshot["status"]?["readyToUse"]) || _store.SnapshotMode(ns, snapshotName) is not { } snapshotMode)
            return prefix + $"snapshot {snapshotName} is not Ready";
        if (snapshotMode != mode)
        {
            return $"requested volume {ns}/{claimName} modifies the mode of the source volume but does not have permission to do so. "
                + "snapshot.storage.kubernetes.io/allow-volume-mode-change annotation is not present on snapshotcontent "
                + Obj.Str(snapshot["status"]?["boundVolumeSnapshotContentName"]);
        }
        var restoreSize = Quantity.Parse(Obj.Str(snapshot["status"]?["restoreSize"])) ?? 0;
        if (size < restoreSize)
            return $"requested volume size {size} is less than the size {restoreSize} for the source snapshot {snapshotName}";
        VolumeStore.Copy(_store.SnapshotPath(ns, snapshotName, snapshotMode), target, mode, size);
        return null;
    }

    /// <summary>
    /// The PV controller's first move: an Available static volume of the claim's class, mode and at least its size
    /// (the smallest) is bound, whatever the claim's dataSource says — the volume keeps what it holds (nothing here).
    /// </summary>
    private bool BindStatic(JsonObject pvc, string className, VolumeMode mode, long size)
    {
        JsonObject? volume;
        lock (_gate)
        {
            // Under the lock: two claims reconciled back to back must not take the same volume.
            volume = _server.List("v1", "persistentvolumes")
                .Where(v => v["spec"]?["local"] is not null && v["spec"]?["claimRef"] is null && !Obj.IsDeleting(v)
                    && Obj.Str(v["status"]?["phase"]) is null or "Available"
                    && Obj.Str(v["spec"]?["storageClassName"]) == className && Obj.Str(v["spec"]?["volumeMode"]) == mode.ToString()
                    && (Quantity.Parse(Obj.Str(v["spec"]?["capacity"]?["storage"])) ?? 0) >= size)
                .OrderBy(v => Quantity.Parse(Obj.Str(v["spec"]?["capacity"]?["storage"])) ?? 0)
                .FirstOrDefault();
            if (volume is null)
                return false;
            volume = _server.Patch("v1", "persistentvolumes", null, Obj.Name(volume), new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["claimRef"] = new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "PersistentVolumeClaim",
                        ["namespace"] = Obj.Namespace(pvc),
                        ["name"] = Obj.Name(pvc),
                        ["uid"] = Obj.Uid(pvc),
                    },
                },
            });
            if (volume is null)
                return false;
        }
        PatchStatus("v1", "persistentvolumes", volume, new JsonObject { ["phase"] = "Bound" });
        Bind(pvc, null, "persistentvolume-controller", Obj.Name(volume), Obj.Str(volume["spec"]?["capacity"]?["storage"]));
        return true;
    }

    private void Bind(JsonObject pvc, string? provisioner, string component, string? staticVolume = null, string? capacity = null, string? reclaimPolicy = null)
    {
        var ns = Obj.Namespace(pvc);
        var name = Obj.Name(pvc);
        var volumeName = staticVolume ?? $"pvc-{Obj.Uid(pvc)}";
        var bound = _server.Patch("v1", "persistentvolumeclaims", ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = provisioner is null
                    ? new JsonObject { ["pv.kubernetes.io/bind-completed"] = "yes", ["pv.kubernetes.io/bound-by-controller"] = "yes" }
                    : new JsonObject
                    {
                        ["pv.kubernetes.io/bind-completed"] = "yes",
                        ["pv.kubernetes.io/bound-by-controller"] = "yes",
                        ["volume.beta.kubernetes.io/storage-provisioner"] = provisioner,
                        ["volume.kubernetes.io/storage-provisioner"] = provisioner,
                    },
            },
            ["spec"] = new JsonObject { ["volumeName"] = volumeName },
        });
        if (bound is null)
            return;
        var storage = capacity ?? Obj.Str(pvc["spec"]?["resources"]?["requests"]?["storage"]) ?? "0";
        PatchStatus("v1", "persistentvolumeclaims", bound, new JsonObject
        {
            ["phase"] = "Bound",
            ["accessModes"] = pvc["spec"]?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
            ["capacity"] = new JsonObject { ["storage"] = storage },
        });
        if (provisioner is null)
            return;
        CreateVolume(bound, volumeName, provisioner, storage, reclaimPolicy ?? "Delete");
        _events.Record(bound, "Normal", "ProvisioningSucceeded", $"Successfully provisioned volume {volumeName}", component);
    }

    /// <summary>
    /// The PersistentVolume the external-provisioner creates for a claim it provisioned: bound to that claim by
    /// claimRef (with its uid), its CSI volumeHandle naming the store (<c>ns/claim</c>) that holds the data — the
    /// handle, not the claim, says where the data is, so a populator can rebind the volume to another claim.
    /// </summary>
    private void CreateVolume(JsonObject claim, string volumeName, string provisioner, string storage, string reclaimPolicy)
    {
        var spec = claim["spec"] as JsonObject ?? [];
        _server.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject
            {
                ["name"] = volumeName,
                ["annotations"] = new JsonObject { ["pv.kubernetes.io/provisioned-by"] = provisioner },
            },
            ["spec"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["storage"] = storage },
                ["accessModes"] = spec["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
                ["volumeMode"] = ModeOf(claim).ToString(),
                ["storageClassName"] = Obj.Str(spec["storageClassName"]) ?? Obj.Str(ClassOf(claim)?["metadata"]?["name"]) ?? "",
                ["persistentVolumeReclaimPolicy"] = reclaimPolicy,
                ["claimRef"] = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "PersistentVolumeClaim",
                    ["namespace"] = Obj.Namespace(claim),
                    ["name"] = Obj.Name(claim),
                    ["uid"] = Obj.Uid(claim),
                },
                ["csi"] = new JsonObject { ["driver"] = provisioner, ["volumeHandle"] = $"{Obj.Namespace(claim)}/{Obj.Name(claim)}" },
            },
            ["status"] = new JsonObject { ["phase"] = "Bound" },
        });
    }

    /// <summary>
    /// The PV controller's answer to a volume whose claimRef names a claim that is not bound to it (a volume populator
    /// rebinding its prime claim's volume, or an administrator pre-binding one): once that claim exists with the
    /// claimRef's uid (or the claimRef has none), the claim binds to the volume, whatever its dataSource says.
    /// </summary>
    private void ReconcileVolume(string volumeName)
    {
        if (_server.Get("v1", "persistentvolumes", null, volumeName) is not { } volume || Obj.IsDeleting(volume))
            return;
        if (volume["spec"]?["claimRef"] is not JsonObject claimRef)
            return;
        var claim = _server.Get("v1", "persistentvolumeclaims", Obj.Str(claimRef["namespace"]), Obj.Str(claimRef["name"]) ?? "");
        if (claim is not null)
            BindPreBound(claim);
    }

    /// <summary>Binds an unbound claim to a PersistentVolume whose claimRef names it (by uid when the claimRef has one); true when it did.</summary>
    private bool BindPreBound(JsonObject pvc)
    {
        if (Obj.IsDeleting(pvc) || Obj.Str(pvc["status"]?["phase"]) == "Bound")
            return false;
        var volume = _server.List("v1", "persistentvolumes").FirstOrDefault(v => NamesClaim(v, pvc) && !Obj.IsDeleting(v));
        if (volume is null)
            return false;
        var wanted = Obj.Str(pvc["spec"]?["volumeName"]);
        if (!string.IsNullOrEmpty(wanted) && wanted != Obj.Name(volume))
            return false;
        var ns = Obj.Namespace(pvc);
        var name = Obj.Name(pvc);
        var volumeName = Obj.Name(volume);
        var bound = _server.Patch("v1", "persistentvolumeclaims", ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["pv.kubernetes.io/bind-completed"] = "yes", ["pv.kubernetes.io/bound-by-controller"] = "yes" },
            },
            ["spec"] = new JsonObject { ["volumeName"] = volumeName },
        });
        if (bound is null)
            return false;
        PatchStatus("v1", "persistentvolumeclaims", bound, new JsonObject
        {
            ["phase"] = "Bound",
            ["accessModes"] = volume["spec"]?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
            ["capacity"] = new JsonObject { ["storage"] = Obj.Str(volume["spec"]?["capacity"]?["storage"]) ?? "0" },
        });
        if (string.IsNullOrEmpty(Obj.Str(volume["spec"]?["claimRef"]?["uid"])))
        {
            _server.Patch("v1", "persistentvolumes", null, volumeName, new JsonObject
            {
                ["spec"] = new JsonObject { ["claimRef"] = new JsonObject { ["uid"] = Obj.Uid(pvc), ["resourceVersion"] = Obj.Str(bound["metadata"]?["resourceVersion"]) } },
            });
        }
        if (Obj.Str(volume["status"]?["phase"]) != "Bound")
            PatchStatus("v1", "persistentvolumes", volume, new JsonObject { ["phase"] = "Bound" });
        _events.Record(bound, "Normal", "VolumeBound", $"bound to PersistentVolume {volumeName}", "persistentvolume-controller");
        return true;
    }

    private static bool NamesClaim(JsonObject volume, JsonObject pvc)
    {
        if (volume["spec"]?["claimRef"] is not JsonObject claimRef)
            return false;
        var uid = Obj.Str(claimRef["uid"]);
        return Obj.Str(claimRef["namespace"]) == Obj.Namespace(pvc) && Obj.Str(claimRef["name"]) == Obj.Name(pvc)
            && (string.IsNullOrEmpty(uid) || uid == Obj.Uid(pvc));
    }

    private void ClaimDeleted(JsonObject pvc)
    {
        var ns = Obj.Namespace(pvc);
        var name = Obj.Name(pvc);
        // Its volumes (claimRef with its uid) are Released; Retain keeps them and their data, whatever claim of the
        // same name comes next (that one is another claim).
        var volumes = _server.List("v1", "persistentvolumes");
        var released = volumes.Where(v => Obj.Str(v["spec"]?["claimRef"]?["uid"]) == Obj.Uid(pvc)).ToList();
        foreach (var volume in released.Where(v => Obj.Str(v["spec"]?["persistentVolumeReclaimPolicy"]) == "Retain"))
            PatchStatus("v1", "persistentvolumes", volume, new JsonObject { ["phase"] = "Released" });
        if (_server.Get("v1", "persistentvolumeclaims", ns, name) is not null)
        {
            // A claim of the same name already replaced it and owns the store at ns/name now: only the old volume goes.
            foreach (var volume in released.Where(v => Obj.Str(v["spec"]?["persistentVolumeReclaimPolicy"]) != "Retain"))
                _server.Delete("v1", "persistentvolumes", null, Obj.Name(volume));
            return;
        }
        // The object is gone: the reclaim policy Delete removes its volume and the data. A volume rebound to another
        // claim names that claim now and is left alone.
        var handle = $"{ns}/{name}";
        foreach (var volume in released.Where(v => Obj.Str(v["spec"]?["persistentVolumeReclaimPolicy"]) != "Retain"))
        {
            DeleteStore(Obj.Str(volume["spec"]?["csi"]?["volumeHandle"]) ?? handle);
            _server.Delete("v1", "persistentvolumes", null, Obj.Name(volume));
        }
        // A store no volume names (a seeded claim, a static volume's copy) goes with its claim, as before.
        if (!volumes.Any(v => Obj.Str(v["spec"]?["csi"]?["volumeHandle"]) == handle && Obj.Str(v["spec"]?["claimRef"]?["uid"]) != Obj.Uid(pvc)))
            DeleteStore(handle);
    }

    private void DeleteStore(string handle)
    {
        var slash = handle.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (handle[..slash], handle[(slash + 1)..]);
        VolumeStore.Delete(_store.VolumePath(ns, name, VolumeMode.Filesystem));
        VolumeStore.Delete(_store.VolumePath(ns, name, VolumeMode.Block));
    }
}
