namespace Imprint.Agent.Guest;

/// <summary>Where a guest root filesystem sits on its disk.</summary>
public enum GuestRootLayout
{
    /// <summary>In a partition of a GPT or MBR table (primary or logical).</summary>
    Partition,

    /// <summary>In an LVM2 logical volume (<see cref="GuestRootLocation.LogicalVolume"/> names it).</summary>
    LogicalVolume,

    /// <summary>The whole disk is the filesystem, no partition table.</summary>
    BareFileSystem,
}
