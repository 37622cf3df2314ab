namespace Imprint.Agent.Guest;

/// <summary>The engine names reported in command results (<c>"engine"</c>) and copied into resource status.</summary>
public static class GuestEngineName
{
    /// <summary>ext2/3/4 edited in process through e2fsprogs (debugfs, resize2fs, e2fsck) at a byte offset; never an appliance.</summary>
    public const string E2fsprogs = "e2fsprogs";

    /// <summary>Any other filesystem or layout, parsed by the kernel of a libguestfs appliance VM.</summary>
    public const string Libguestfs = "libguestfs";
}
