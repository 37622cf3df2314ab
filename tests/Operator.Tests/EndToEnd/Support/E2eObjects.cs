using System.Text.Json.Nodes;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>The smallest manifests the failure tests start from, as a user would write them; tests edit them further.</summary>
public static class E2eObjects
{
    private const string ApiVersion = "imprint.dev/v1alpha1";

    public static JsonObject GoldenImageFromPvc(string ns, string name, string sourcePvc) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "GoldenImage",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = sourcePvc } } },
    };

    public static JsonObject GoldenImageFromHttp(string ns, string name, Uri url, string checksum, string? size = "128Mi")
    {
        var spec = new JsonObject { ["source"] = new JsonObject { ["http"] = new JsonObject { ["url"] = url.ToString(), ["checksum"] = checksum } } };
        if (size is not null)
        {
            spec["storage"] = new JsonObject { ["size"] = size };
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "GoldenImage",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    /// <summary>A clone of <paramref name="golden"/> whose only customization is its host name (the VmClone's name).</summary>
    public static JsonObject VmClone(string ns, string name, string golden, string? goldenNamespace = null)
    {
        var reference = new JsonObject { ["name"] = golden };
        if (goldenNamespace is not null)
        {
            reference["namespace"] = goldenNamespace;
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "VmClone",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["goldenImage"] = reference,
                ["customize"] = new JsonObject { ["hostname"] = name },
            },
        };
    }

    public static JsonObject Secret(string ns, string name, string key, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["type"] = "Opaque",
        ["stringData"] = new JsonObject { [key] = value },
    };

    /// <summary>Jobs made for one owner (its name label), whatever their step: how a step failure rule picks a plan Job.</summary>
    public static bool IsOwnedBy(JsonObject job, string owner) => (string?)job["metadata"]?["labels"]?["imprint.dev/owner"] == owner;

    /// <summary>The Job's owner name label (imprint.dev/owner) — how a test's failure rule picks one clone's Jobs.</summary>
    public static bool IsStepOf(JsonObject job, string owner, string step) =>
        (string?)job["metadata"]?["labels"]?["imprint.dev/owner"] == owner && (string?)job["metadata"]?["labels"]?["imprint.dev/step"] == step;
}
