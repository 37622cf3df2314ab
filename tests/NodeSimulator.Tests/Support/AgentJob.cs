using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.Tests;

/// <summary>Agent Jobs shaped exactly as the jobs contract says the operator builds them.</summary>
internal static class AgentJob
{
    public static JsonObject Build(string name, string[] args, (string Volume, string Claim, VolumeMode Mode)[] disks,
        int backoffLimit = 0, int deadlineSeconds = 600, string[]? command = null, JsonArray? inputSources = null)
    {
        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = "imprint",
            ["app.kubernetes.io/component"] = "agent",
            ["app.kubernetes.io/managed-by"] = "imprint-operator",
            ["imprint.dev/owner-kind"] = "GoldenImage",
            ["imprint.dev/owner"] = "golden",
            ["imprint.dev/step"] = args[0].Trim('-'), // A label value: "-c" would be refused by the API server.
        };
        var mounts = new JsonArray();
        var devices = new JsonArray();
        var volumes = new JsonArray();
        foreach (var (volume, claim, mode) in disks)
        {
            var readOnly = volume is "golden" or "source";
            volumes.Add(new JsonObject { ["name"] = volume, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim, ["readOnly"] = readOnly } });
            if (mode == VolumeMode.Block)
                devices.Add(new JsonObject { ["name"] = volume, ["devicePath"] = $"/dev/disks/{volume}" });
            else
                mounts.Add(new JsonObject { ["name"] = volume, ["mountPath"] = $"/disks/{volume}", ["readOnly"] = readOnly });
        }
        if (inputSources is not null)
        {
            volumes.Add(new JsonObject { ["name"] = "input", ["projected"] = new JsonObject { ["sources"] = inputSources } });
            mounts.Add(new JsonObject { ["name"] = "input", ["mountPath"] = "/etc/imprint/input", ["readOnly"] = true });
        }
        volumes.Add(new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject() });
        mounts.Add(new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" });
        var container = new JsonObject
        {
            ["name"] = "agent",
            ["image"] = "ghcr.io/imprint/agent:test",
            ["command"] = new JsonArray((command ?? ["imprint"]).Select(c => (JsonNode?)c).ToArray()),
            ["args"] = new JsonArray(args.Select(a => (JsonNode?)a).ToArray()),
            ["terminationMessagePath"] = "/dev/termination-log",
            ["terminationMessagePolicy"] = "FallbackToLogsOnError",
            ["securityContext"] = JsonNode.Parse("""{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}"""),
            ["resources"] = JsonNode.Parse("""{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"512Mi"}}"""),
            ["volumeMounts"] = mounts,
        };
        if (devices.Count > 0)
            container["volumeDevices"] = devices;
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["backoffLimit"] = backoffLimit,
                ["activeDeadlineSeconds"] = deadlineSeconds,
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels },
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["serviceAccountName"] = "imprint-agent",
                        ["automountServiceAccountToken"] = false,
                        ["securityContext"] = JsonNode.Parse("""{"runAsNonRoot":true,"runAsUser":65532,"runAsGroup":65532,"fsGroup":65532,"seccompProfile":{"type":"RuntimeDefault"}}"""),
                        ["containers"] = new JsonArray(container),
                        ["volumes"] = volumes,
                    },
                },
            },
        };
    }

    /// <summary>The contract's tail of every agent command line.</summary>
    public static string[] Args(params string[] head) => [.. head, "--result-file", "/dev/termination-log", "--progress", "lines"];

    public static JsonObject Claim(string name, string size, VolumeMode mode = VolumeMode.Filesystem, string? storageClass = null, JsonObject? dataSource = null)
    {
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
            ["volumeMode"] = mode.ToString(),
        };
        if (storageClass is not null)
            spec["storageClassName"] = storageClass;
        if (dataSource is not null)
            spec["dataSource"] = dataSource;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }
}
