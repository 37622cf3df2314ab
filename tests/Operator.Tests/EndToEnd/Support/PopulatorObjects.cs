using System.Text.Json.Nodes;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>CloneTemplates and the claims that name them, as a user writes them.</summary>
public static class PopulatorObjects
{
    public static JsonObject CloneTemplate(string ns, string name, string golden, JsonObject customize) => new()
    {
        ["apiVersion"] = "imprint.dev/v1alpha1",
        ["kind"] = "CloneTemplate",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["goldenImage"] = new JsonObject { ["name"] = golden }, ["customize"] = customize },
    };

    /// <summary>A claim whose spec.dataSourceRef names CloneTemplate <paramref name="template"/>.</summary>
    public static JsonObject Claim(string ns, string name, string template, string size = "128Mi", string? storageClass = null, JsonObject? labels = null)
    {
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
            ["volumeMode"] = "Filesystem",
            ["dataSourceRef"] = new JsonObject { ["apiGroup"] = "imprint.dev", ["kind"] = "CloneTemplate", ["name"] = template },
        };
        if (storageClass is not null)
        {
            spec["storageClassName"] = storageClass;
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = metadata, ["spec"] = spec };
    }

    /// <summary>A CDI DataVolume whose spec.storage.dataSourceRef names CloneTemplate <paramref name="template"/> (external population).</summary>
    public static JsonObject DataVolume(string ns, string name, string template, string size = "128Mi", JsonObject? labels = null)
    {
        var dv = DataVolumeTemplate(name, template, size, labels);
        dv["apiVersion"] = "cdi.kubevirt.io/v1beta1";
        dv["kind"] = "DataVolume";
        dv["metadata"]!["namespace"] = ns;
        return dv;
    }

    /// <summary>
    /// A VirtualMachinePool of <paramref name="replicas"/> VMs, each with one disk from a dataVolumeTemplate
    /// (<paramref name="disk"/>, indexed per VM by KubeVirt) whose storage names CloneTemplate <paramref name="template"/>.
    /// </summary>
    public static JsonObject Pool(string ns, string name, int replicas, string disk, string template) => new()
    {
        ["apiVersion"] = "pool.kubevirt.io/v1alpha1",
        ["kind"] = "VirtualMachinePool",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubevirt.io/vmpool"] = name } },
            ["virtualMachineTemplate"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["kubevirt.io/vmpool"] = name } },
                ["spec"] = new JsonObject
                {
                    ["runStrategy"] = "Always",
                    ["dataVolumeTemplates"] = new JsonArray(DataVolumeTemplate(disk, template, "128Mi", null)),
                    ["template"] = new JsonObject
                    {
                        ["spec"] = new JsonObject
                        {
                            ["domain"] = new JsonObject { ["devices"] = new JsonObject { ["disks"] = new JsonArray(new JsonObject { ["name"] = "root", ["disk"] = new JsonObject { ["bus"] = "virtio" } }) } },
                            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "root", ["dataVolume"] = new JsonObject { ["name"] = disk } }),
                        },
                    },
                },
            },
        },
    };

    private static JsonObject DataVolumeTemplate(string name, string template, string size, JsonObject? labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["storage"] = new JsonObject
                {
                    ["storageClassName"] = "csi",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
                    ["dataSourceRef"] = new JsonObject { ["apiGroup"] = "imprint.dev", ["kind"] = "CloneTemplate", ["name"] = template },
                },
            },
        };
    }

    public static bool IsBound(JsonObject? claim) => (string?)claim?["status"]?["phase"] == "Bound";
}
