namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// A PersistentVolume an administrator made by hand (local volumes on a no-provisioner class): Available until a claim
/// of its class binds to it, then Released when that claim goes (reclaimPolicy Retain: never bound again).
/// </summary>
internal sealed class StaticVolume(string name, string storageClass, long size, VolumeMode mode)
{
    public string Name { get; } = name;

    public string StorageClass { get; } = storageClass;

    public long Size { get; } = size;

    public VolumeMode Mode { get; } = mode;

    /// <summary>The claim bound to it (namespace/name), or null.</summary>
    public string? ClaimRef { get; set; }

    /// <summary>That claim's uid: a claim deleted and made again under the same name is another claim.</summary>
    public string? ClaimUid { get; set; }

    public bool Released { get; set; }

    public bool IsAvailable => ClaimRef is null && !Released;
}
