using System.Diagnostics;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// The simulated CSI driver's backing stores: <c>volumes/&lt;ns&gt;/&lt;pvc&gt;/</c> (Filesystem, holding disk.img) or
/// <c>volumes/&lt;ns&gt;/&lt;pvc&gt;.block</c> (Block), and snapshots laid out the same way under <c>snapshots/</c>.
/// </summary>
internal sealed class VolumeStore(string root)
{
    public const string DiskFile = "disk.img";

    public string Root { get; } = Path.GetFullPath(root);

    public string VolumePath(string ns, string pvc, VolumeMode mode) => StorePath("volumes", ns, pvc, mode);

    /// <summary>
    /// Where a claim's data is: a static volume's <c>spec.local.path</c>, the store its PersistentVolume's CSI
    /// volumeHandle names (<c>ns/claim</c> it was provisioned for, which stays the same when a populator rebinds the
    /// volume to another claim), else the claim's own.
    /// </summary>
    public string ClaimPath(FakeApiServer.FakeKubeApiServer server, System.Text.Json.Nodes.JsonObject claim)
    {
        var mode = Obj.Str(claim["spec"]?["volumeMode"]) == "Block" ? VolumeMode.Block : VolumeMode.Filesystem;
        var volumeName = Obj.Str(claim["spec"]?["volumeName"]);
        var volume = string.IsNullOrEmpty(volumeName) ? null : server.Get("v1", "persistentvolumes", null, volumeName);
        if (Obj.Str(volume?["spec"]?["local"]?["path"]) is { Length: > 0 } local)
        {
            return local;
        }
        if (Obj.Str(volume?["spec"]?["csi"]?["volumeHandle"]) is { } handle && handle.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
        {
            return VolumePath(handle[..slash], handle[(slash + 1)..], mode);
        }
        return VolumePath(Obj.Namespace(claim), Obj.Name(claim), mode);
    }

    /// <summary>The store of a static volume, named in its PersistentVolume's <c>spec.local.path</c>.</summary>
    public string StaticPath(string volumeName, VolumeMode mode) => StorePath("static", "local", volumeName, mode);

    public string SnapshotPath(string ns, string name, VolumeMode mode) => StorePath("snapshots", ns, name, mode);

    /// <summary>Which kind of store a snapshot holds, or null when there is none.</summary>
    public VolumeMode? SnapshotMode(string ns, string name) =>
        File.Exists(SnapshotPath(ns, name, VolumeMode.Block)) ? VolumeMode.Block
        : Directory.Exists(SnapshotPath(ns, name, VolumeMode.Filesystem)) ? VolumeMode.Filesystem
        : null;

    public void CreateEmpty(string path, VolumeMode mode, long size)
    {
        if (mode == VolumeMode.Filesystem)
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(size); // sparse, like `truncate -s`
    }

    /// <summary>Copies a store keeping holes (a CSI clone or snapshot); a Block copy then grows to <paramref name="size"/>.</summary>
    public static void Copy(string source, string target, VolumeMode mode, long size = 0)
    {
        Delete(target);
        if (mode == VolumeMode.Filesystem)
        {
            Directory.CreateDirectory(target);
            RunCp($"{source}/.", target, recursive: true);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        RunCp(source, target, recursive: false);
        using var file = new FileStream(target, FileMode.Open, FileAccess.Write);
        if (file.Length < size)
            file.SetLength(size);
    }

    /// <summary>Copies an image file into a store as its disk (Filesystem: <c>disk.img</c> in the folder).</summary>
    public static void Seed(string image, string target, VolumeMode mode)
    {
        Delete(target);
        var file = target;
        if (mode == VolumeMode.Filesystem)
        {
            Directory.CreateDirectory(target);
            file = Path.Combine(target, DiskFile);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        }
        RunCp(image, file, recursive: false);
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        else if (File.Exists(path))
            File.Delete(path);
    }

    private string StorePath(string area, string ns, string name, VolumeMode mode) =>
        Path.Combine(Root, area, ns, mode == VolumeMode.Block ? name + ".block" : name);

    private static void RunCp(string source, string target, bool recursive)
    {
        // GNU cp finds the data extents itself (SEEK_DATA/FIEMAP) and writes holes back as holes.
        var start = new ProcessStartInfo("cp") { RedirectStandardError = true, UseShellExecute = false };
        if (recursive)
            start.ArgumentList.Add("-a");
        start.ArgumentList.Add("--sparse=always");
        start.ArgumentList.Add(source);
        start.ArgumentList.Add(target);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new IOException($"cp {source} {target} failed ({process.ExitCode}): {error.Trim()}");
    }
}
