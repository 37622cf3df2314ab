using System.Text;
using System.Text.Json.Nodes;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// The host side of a pod: its folder under <c>pods/&lt;ns&gt;/&lt;pod&gt;/</c> (tmp, termination-log, written
/// ConfigMap/Secret volumes) and the table that maps container paths to host paths for the container's args.
/// </summary>
internal sealed class PodSandbox
{
    private readonly List<(string ContainerPath, string HostPath)> _mounts = [];
    private readonly List<string> _loopDevices = [];

    private PodSandbox(string dir, string terminationLogPath)
    {
        Dir = dir;
        Tmp = Path.Combine(dir, "tmp");
        TerminationLog = Path.Combine(dir, "termination-log");
        Directory.CreateDirectory(Tmp);
        File.WriteAllBytes(TerminationLog, []);
        _mounts.Add(("/tmp", Tmp));
        _mounts.Add((terminationLogPath, TerminationLog));
    }

    public string Dir { get; }

    public string Tmp { get; }

    public string TerminationLog { get; }

    public IReadOnlyList<(string ContainerPath, string HostPath)> Mounts => _mounts;

    /// <summary>
    /// Writes the pod's volumes and resolves its mounts; a volume that cannot be set up yet (missing ConfigMap or
    /// Secret) gives the kubelet's FailedMount message instead.
    /// </summary>
    public static (PodSandbox? Sandbox, string? FailedMount) Prepare(JsonObject pod, FakeKubeApiServer server, VolumeStore store, bool loopDevices)
    {
        var ns = Obj.Namespace(pod);
        var container = Obj.Objects(pod["spec"]?["containers"]).First();
        var volumes = Obj.Objects(pod["spec"]?["volumes"]).ToDictionary(v => Obj.Str(v["name"]) ?? "");
        // Check everything before writing anything, so a pod that waits leaves no half-written sandbox.
        foreach (var (name, volume) in volumes)
        {
            if (MissingSources(volume, ns, server) is { Count: > 0 } missing)
                return (null, $"MountVolume.SetUp failed for volume \"{name}\" : {string.Join(", ", missing)}");
        }
        var dir = Path.Combine(store.Root, "pods", ns, Obj.Name(pod));
        VolumeStore.Delete(dir);
        var sandbox = new PodSandbox(dir, Obj.Str(container["terminationMessagePath"]) ?? "/dev/termination-log");
        var hostPaths = new Dictionary<string, string>();
        foreach (var (name, volume) in volumes)
            hostPaths[name] = sandbox.Materialize(name, volume, ns, server, store);
        foreach (var mount in Obj.Objects(container["volumeMounts"]))
        {
            if (!hostPaths.TryGetValue(Obj.Str(mount["name"]) ?? "", out var host))
                continue;
            if (Obj.Str(mount["subPath"]) is { Length: > 0 } subPath)
                host = Path.Combine(host, subPath);
            sandbox._mounts.Add((Obj.Str(mount["mountPath"])!.TrimEnd('/'), host));
        }
        foreach (var device in Obj.Objects(container["volumeDevices"]))
        {
            var name = Obj.Str(device["name"]) ?? "";
            if (!hostPaths.TryGetValue(name, out var host))
                continue;
            if (loopDevices && File.Exists(host))
            {
                // The kubelet hands a Block volume over as a device node; a loop device over the backing file is one.
                var readOnly = Obj.Bool(volumes[name]["persistentVolumeClaim"]?["readOnly"]);
                host = LoopDevices.Attach(host, readOnly);
                sandbox._loopDevices.Add(host);
            }
            sandbox._mounts.Add((Obj.Str(device["devicePath"])!, host));
        }
        return (sandbox, null);
    }

    /// <summary>Detaches the pod's loop devices once its process is gone (their writes reach the backing files).</summary>
    public void ReleaseDevices()
    {
        foreach (var device in _loopDevices)
            LoopDevices.Detach(device);
        _loopDevices.Clear();
    }

    /// <summary>A container path as the host sees it: the longest mount that contains it wins; other text is kept.</summary>
    public string MapPath(string path)
    {
        var best = _mounts.Where(m => path == m.ContainerPath || path.StartsWith(m.ContainerPath + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.ContainerPath.Length)
            .Select(m => ((string, string)?)m)
            .FirstOrDefault();
        return best is var (container, host) ? host + path[container.Length..] : path;
    }

    /// <summary>Rewrites an argument, including the value of <c>--flag=/path</c>.</summary>
    public string MapArg(string arg)
    {
        if (arg.StartsWith('/'))
            return MapPath(arg);
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && eq + 1 < arg.Length && arg[eq + 1] == '/' ? arg[..(eq + 1)] + MapPath(arg[(eq + 1)..]) : arg;
    }

    private string Materialize(string name, JsonObject volume, string ns, FakeKubeApiServer server, VolumeStore store)
    {
        if (volume["persistentVolumeClaim"] is JsonObject claim)
        {
            var claimName = Obj.Str(claim["claimName"]) ?? "";
            var pvc = server.Get("v1", "persistentvolumeclaims", ns, claimName);
            var mode = Obj.Str(pvc?["spec"]?["volumeMode"]) == "Block" ? VolumeMode.Block : VolumeMode.Filesystem;
            return pvc is null ? store.VolumePath(ns, claimName, mode) : store.ClaimPath(server, pvc);
        }
        if (volume["hostPath"] is JsonObject hostPath)
            return Obj.Str(hostPath["path"]) ?? "/";
        var dir = Path.Combine(Dir, "volumes", name);
        Directory.CreateDirectory(dir);
        foreach (var (source, secret) in Sources(volume))
        {
            if (Lookup(source, secret, ns, server) is not { } found)
                continue; // optional and absent
            var all = Data(found, secret);
            var items = Obj.Objects(source["items"]).ToList();
            var files = items.Count == 0
                ? all.Select(p => (Path: p.Key, Content: p.Value))
                : items.Where(i => all.ContainsKey(Obj.Str(i["key"]) ?? ""))
                    .Select(i => (Path: Obj.Str(i["path"]) ?? "", Content: all[Obj.Str(i["key"])!]));
            foreach (var (path, content) in files)
            {
                var file = Path.Combine(dir, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, content);
            }
        }
        return dir;
    }

    /// <summary>The ConfigMap and Secret references of a volume (pod-level or projected).</summary>
    private static IEnumerable<(JsonObject Source, bool Secret)> Sources(JsonObject volume)
    {
        if (volume["configMap"] is JsonObject configMap)
            yield return (configMap, false);
        if (volume["secret"] is JsonObject secret)
            yield return (secret, true);
        foreach (var projected in Obj.Objects(volume["projected"]?["sources"]))
        {
            if (projected["configMap"] is JsonObject c)
                yield return (c, false);
            if (projected["secret"] is JsonObject s)
                yield return (s, true);
        }
    }

    private static List<string> MissingSources(JsonObject volume, string ns, FakeKubeApiServer server)
    {
        var missing = new List<string>();
        foreach (var (source, secret) in Sources(volume))
        {
            if (Obj.Bool(source["optional"]))
                continue;
            var kind = secret ? "secret" : "configmap";
            if (Lookup(source, secret, ns, server) is not { } found)
            {
                missing.Add($"{kind} \"{SourceName(source, secret)}\" not found");
                continue;
            }
            var data = Data(found, secret);
            foreach (var item in Obj.Objects(source["items"]))
            {
                if (!data.ContainsKey(Obj.Str(item["key"]) ?? ""))
                    missing.Add($"{kind} references non-existent {(secret ? "secret" : "config")} key: {Obj.Str(item["key"])}");
            }
        }
        return missing;
    }

    // A pod-level secret volume names its Secret with secretName; everything else uses name.
    private static string SourceName(JsonObject source, bool secret) =>
        (secret ? Obj.Str(source["secretName"]) : null) ?? Obj.Str(source["name"]) ?? "";

    private static JsonObject? Lookup(JsonObject source, bool secret, string ns, FakeKubeApiServer server) =>
        server.Get("v1", secret ? "secrets" : "configmaps", ns, SourceName(source, secret));

    /// <summary>Key → bytes: Secret <c>data</c> is base64 (plus <c>stringData</c> if a write kept it), ConfigMap <c>data</c> is text and <c>binaryData</c> base64.</summary>
    private static Dictionary<string, byte[]> Data(JsonObject obj, bool secret)
    {
        var result = new Dictionary<string, byte[]>();
        foreach (var (key, value) in obj["data"] as JsonObject ?? [])
            result[key] = secret ? Convert.FromBase64String(Obj.Str(value) ?? "") : Encoding.UTF8.GetBytes(Obj.Str(value) ?? "");
        foreach (var (key, value) in obj[secret ? "stringData" : "binaryData"] as JsonObject ?? [])
            result[key] = secret ? Encoding.UTF8.GetBytes(Obj.Str(value) ?? "") : Convert.FromBase64String(Obj.Str(value) ?? "");
        return result;
    }
}
