using System.Globalization;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>
/// virt-controller's pool controller (kubevirt pkg/virt-controller/watch/pool/pool.go): scale-out only. A VM per
/// missing replica, named <c>&lt;pool&gt;-&lt;index&gt;</c> with the lowest unused indexes (calculateNewVMNames), with the
/// template's labels and annotations plus <c>kubevirt.io/vm-pool-revision-name: &lt;pool&gt;-&lt;generation&gt;</c> (on the
/// VM and its VMI template), the finalizer <c>pool.kubevirt.io/finalizer</c>, a controller owner reference with
/// blockOwnerDeletion, and the spec indexed as indexVMSpec does: every dataVolumeTemplate is named
/// <c>&lt;name&gt;-&lt;index&gt;</c> and the volumes that named it follow. Not simulated: the ControllerRevision object (the
/// fake API server does not serve apps/v1), scale-in, update strategies, autohealing.
/// </summary>
public sealed partial class KubeVirtSimulator
{
    public const string PoolApiVersion = "pool.kubevirt.io/v1alpha1";
    public const string PoolFinalizer = "pool.kubevirt.io/finalizer";
    public const string PoolRevisionLabel = "kubevirt.io/vm-pool-revision-name";
    private const string PoolComponent = "virtualmachinepool-controller";

    private bool ReconcilePool(JsonObject pool)
    {
        if (Obj.IsDeleting(pool) || !_server.Serves(VmApiVersion, "virtualmachines"))
            return false;
        var ns = Obj.Namespace(pool);
        var vms = _server.List(VmApiVersion, "virtualmachines", ns);
        var owned = vms.Where(vm => IsControlledBy(vm, pool) && !Obj.IsDeleting(vm)).ToList();
        var wanted = (int)(Obj.Long(pool["spec"]?["replicas"]) ?? 1);
        var wrote = false;
        if (!Obj.Bool(pool["spec"]?["paused"]) && owned.Count < wanted)
        {
            var taken = vms.Select(Obj.Name).ToHashSet(StringComparer.Ordinal);
            var index = 0;
            for (var missing = wanted - owned.Count; missing > 0; missing--)
            {
                while (taken.Contains($"{Obj.Name(pool)}-{index}"))
                    index++;
                taken.Add($"{Obj.Name(pool)}-{index}");
                var vm = NewPoolVirtualMachine(pool, index);
                if (_server.TryCreate(vm, out var error) is { } created)
                {
                    owned.Add(created);
                    _events.Record(pool, "Normal", "SuccessfulCreate", $"Created VM {ns}/{Obj.Name(created)}", PoolComponent);
                }
                else
                {
                    _events.Record(pool, "Warning", "FailedCreate", $"Error creating VM: {error}", PoolComponent);
                }
                wrote = true;
            }
        }
        var status = Map(pool["status"]);
        status["replicas"] = owned.Count;
        status["readyReplicas"] = 0; // no VM ever runs here
        status["labelSelector"] = SelectorString(pool["spec"]?["selector"] as JsonObject);
        return WriteStatus(PoolApiVersion, "virtualmachinepools", pool, status) | wrote;
    }

    /// <summary>The pool controller's cleanup: a VM of a pool that is being deleted loses the pool's finalizer.</summary>
    private bool ReleaseDeletedPoolMember(JsonObject vm)
    {
        if (!Obj.IsDeleting(vm) || !Finalizers(vm).Contains(PoolFinalizer))
            return false;
        var remaining = Finalizers(vm).Where(f => f != PoolFinalizer).Select(f => (JsonNode?)JsonValue.Create(f)).ToArray();
        _server.Patch(VmApiVersion, "virtualmachines", Obj.Namespace(vm), Obj.Name(vm), new JsonObject
        {
            ["metadata"] = new JsonObject { ["finalizers"] = remaining.Length == 0 ? null : new JsonArray(remaining) },
        });
        return true;
    }

    private static JsonObject NewPoolVirtualMachine(JsonObject pool, int index)
    {
        var template = pool["spec"]?["virtualMachineTemplate"] as JsonObject ?? [];
        var revision = $"{Obj.Name(pool)}-{Obj.Long(pool["metadata"]?["generation"]) ?? 1}";
        var labels = Map(template["metadata"]?["labels"]);
        labels[PoolRevisionLabel] = revision;
        var spec = IndexedSpec(pool, index);
        if (spec["template"] is JsonObject vmiTemplate)
        {
            var metadata = vmiTemplate["metadata"] as JsonObject ?? (JsonObject)(vmiTemplate["metadata"] = new JsonObject());
            var vmiLabels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
            vmiLabels[PoolRevisionLabel] = revision;
        }
        var metadataOut = new JsonObject
        {
            ["name"] = $"{Obj.Name(pool)}-{index}",
            ["namespace"] = Obj.Namespace(pool),
            ["labels"] = labels,
            ["finalizers"] = new JsonArray(PoolFinalizer),
            ["ownerReferences"] = new JsonArray(ControllerReference(pool)),
        };
        if (template["metadata"]?["annotations"] is JsonObject annotations)
            metadataOut["annotations"] = annotations.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = VmApiVersion,
            ["kind"] = "VirtualMachine",
            ["metadata"] = metadataOut,
            ["spec"] = spec,
        };
    }

    /// <summary>indexVMSpec: dataVolumeTemplates get the index as a suffix, and so do the volumes naming them (and, when asked, ConfigMap and Secret references).</summary>
    private static JsonObject IndexedSpec(JsonObject pool, int index)
    {
        var spec = Map(pool["spec"]?["virtualMachineTemplate"]?["spec"]);
        var suffix = "-" + index.ToString(CultureInfo.InvariantCulture);
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var template in Obj.Objects(spec["dataVolumeTemplates"]))
        {
            var metadata = template["metadata"] as JsonObject ?? (JsonObject)(template["metadata"] = new JsonObject());
            var name = Obj.Str(metadata["name"]) ?? "";
            renamed[name] = name + suffix;
            metadata["name"] = name + suffix;
        }
        var configMaps = Obj.Bool(pool["spec"]?["nameGeneration"]?["appendIndexToConfigMapRefs"]);
        var secrets = Obj.Bool(pool["spec"]?["nameGeneration"]?["appendIndexToSecretRefs"]);
        foreach (var volume in Obj.Objects(spec["template"]?["spec"]?["volumes"]))
        {
            if (volume["persistentVolumeClaim"] is JsonObject claim)
                Rename(claim, "claimName", renamed);
            else if (volume["dataVolume"] is JsonObject dataVolume)
                Rename(dataVolume, "name", renamed);
            else if (volume["configMap"] is JsonObject configMap && configMaps)
                configMap["name"] = Obj.Str(configMap["name"]) + suffix;
            else if (volume["secret"] is JsonObject secret && secrets)
                secret["secretName"] = Obj.Str(secret["secretName"]) + suffix;
            else if ((volume["cloudInitNoCloud"] ?? volume["cloudInitConfigDrive"]) is JsonObject cloudInit && secrets)
            {
                foreach (var key in new[] { "userDataSecretRef", "networkDataSecretRef" })
                {
                    if (cloudInit[key] is JsonObject reference)
                        reference["name"] = Obj.Str(reference["name"]) + suffix;
                }
            }
        }
        return spec;
    }

    private static void Rename(JsonObject reference, string field, Dictionary<string, string> renamed)
    {
        if (Obj.Str(reference[field]) is { } name && renamed.TryGetValue(name, out var indexed))
            reference[field] = indexed;
    }

    /// <summary>metav1.LabelSelectorAsSelector(...).String() for the forms pools use: <c>k=v</c> and set-based terms, sorted by key.</summary>
    private static string SelectorString(JsonObject? selector)
    {
        var terms = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
            terms.Add((key, $"{key}={Obj.Str(value)}"));
        foreach (var expression in Obj.Objects(selector?["matchExpressions"]))
        {
            var key = Obj.Str(expression["key"]) ?? "";
            var values = string.Join(",", (expression["values"] as JsonArray ?? []).Select(v => Obj.Str(v)).Order(StringComparer.Ordinal));
            terms.Add((key, Obj.Str(expression["operator"]) switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var other => $"{key} {other} ({values})",
            }));
        }
        return string.Join(",", terms.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Text));
    }
}
