namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// A built test guest and the facts the matrix checks it against: where its root is inside the appliance, how to
/// mount it read-only for read-back, how to run its filesystems' own checkers, and which files carry the distro's
/// hostname and network settings.
/// </summary>
public sealed record TestGuest
{
    public required TestGuestKind Kind { get; init; }

    /// <summary>The support-matrix row: distro, filesystem, layout.</summary>
    public required string Row { get; init; }

    /// <summary>os-release ID.</summary>
    public required string OsId { get; init; }

    /// <summary>The distro name libguestfs' inspection gives (its own vocabulary: "opensuse" for openSUSE Leap).</summary>
    public required string InspectedDistro { get; init; }

    /// <summary>The root libguestfs' inspection names (a btrfs subvolume is <c>btrfsvol:/dev/sdX/path</c>).</summary>
    public required string InspectionRoot { get; init; }

    public required string RootFileSystem { get; init; }

    public required long SizeMiB { get; init; }

    /// <summary>The root filesystem's device inside the appliance (a partition or an LV).</summary>
    public required string RootDevice { get; init; }

    /// <summary>guestfish lines mounting the whole guest tree read-only at /.</summary>
    public required IReadOnlyList<string> MountReadOnly { get; init; }

    /// <summary>Each filesystem of the guest with the checker that must pass on it (run unmounted, in the appliance).</summary>
    public required IReadOnlyList<(string Device, string FileSystem)> FileSystems { get; init; }

    /// <summary>The files that must hold the host name after customize.</summary>
    public required IReadOnlyList<string> HostnameFiles { get; init; }

    /// <summary>The network style inspection must report (the agent's vocabulary: networkmanager, ifcfg, wicked).</summary>
    public required string NetworkStyle { get; init; }

    /// <summary>Folder where the distro keeps per-interface network settings (keyfiles, ifcfg).</summary>
    public required string NetworkFolder { get; init; }

    public required bool SeLinux { get; init; }

    /// <summary>The LVM volume group holding the root, when there is one.</summary>
    public string? VolumeGroup { get; init; }

    /// <summary>GPT partition number of the partition that holds the root (or its PV).</summary>
    public required int RootPartition { get; init; }

    /// <summary>The golden image's ed25519 host public key (made by ssh-keygen at build time), to tell regenerated keys apart.</summary>
    public string GoldenHostKey { get; init; } = string.Empty;

    public override string ToString() => Row;
}
