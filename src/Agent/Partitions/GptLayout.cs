namespace Imprint.Agent.Partitions;

/// <summary>Where a disk's GPT structures sit and which copies passed validation.</summary>
/// <param name="BackupHeaderLba">The backup header's LBA as recorded (the last sector unless the disk has grown).</param>
/// <param name="FirstUsableLba">First sector partitions may use.</param>
/// <param name="LastUsableLba">Last sector partitions may use, as recorded.</param>
/// <param name="EntryCount">Entries in the array (usually 128).</param>
/// <param name="EntrySize">Bytes per entry (usually 128).</param>
/// <param name="PrimaryEntriesLba">Start of the primary entry array (2 when the primary copy is damaged and will be rebuilt).</param>
/// <param name="PrimaryValid">The primary header (LBA 1) and its entry array passed every check.</param>
/// <param name="BackupValid">The backup header and its entry array passed every check.</param>
/// <param name="DiskGuid">The disk GUID.</param>
/// <param name="ProtectiveMbrSectors">Size field of the MBR's 0xEE entry; null when there is no protective MBR.</param>
public sealed record GptLayout(
    long BackupHeaderLba,
    long FirstUsableLba,
    long LastUsableLba,
    int EntryCount,
    int EntrySize,
    long PrimaryEntriesLba,
    bool PrimaryValid,
    bool BackupValid,
    Guid DiskGuid,
    uint? ProtectiveMbrSectors)
{
    /// <summary>Sectors the entry array occupies.</summary>
    public long EntryArraySectors(int sectorSize) => (((long)EntryCount * EntrySize) + sectorSize - 1) / sectorSize;

    /// <summary>Last usable LBA once the backup entries and header sit at the end of a disk of <paramref name="totalSectors"/>.</summary>
    public long LastUsableAtDiskEnd(long totalSectors, int sectorSize) => totalSectors - 2 - EntryArraySectors(sectorSize);

    /// <summary>The size the protective MBR entry should have on a disk of <paramref name="totalSectors"/>.</summary>
    public static uint ProtectiveSizeFor(long totalSectors) => (uint)Math.Min(totalSectors - 1, uint.MaxValue);
}
