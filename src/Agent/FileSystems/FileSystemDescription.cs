namespace Imprint.Agent.FileSystems;

/// <summary>What a probe found, in words a user recognises ("LVM2 physical volume (PV UUID …)").</summary>
public static class FileSystemDescription
{
    public static string Describe(DetectedFileSystem found)
    {
        ArgumentNullException.ThrowIfNull(found);
        return found.Kind switch
        {
            FileSystemKind.LvmPhysicalVolume => $"an LVM2 physical volume (PV UUID {found.Uuid ?? "unknown"})",
            FileSystemKind.Luks => $"a LUKS{found.Version} encrypted container (UUID {found.Uuid ?? "unknown"})",
            FileSystemKind.Swap => "swap",
            _ => found.TypeName,
        };
    }

    /// <summary>LVM and LUKS hold other volumes: Imprint would have to activate or unlock them, which it never does.</summary>
    public static bool IsContainer(DetectedFileSystem? found) => found?.Kind is FileSystemKind.LvmPhysicalVolume or FileSystemKind.Luks;
}
