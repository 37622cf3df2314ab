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

    public static bool IsBound(JsonObject? claim) => (string?)claim?["status"]?["phase"] == "Bound";
}
