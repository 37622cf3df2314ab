namespace Imprint.Agent.Partitions;

/// <summary>Where the GPT structures sit and which copy was trusted.</summary>
/// <param name="PrimaryHeaderLba">1.</param>
/// <param name="BackupHeaderLba">The alternate header's LBA as recorded (the last sector when the disk has not grown).</param>
/// <param name="FirstUsableLba">First sector partitions may use.</param>
/// <param name="LastUsableLba">Last sector partitions may use.</param>
/// <param name="EntryCount">Entries in the array (usually 128).</param>
/// <param name="EntrySize">Bytes per entry (usually 128).</param>
/// <param name="PrimaryEntriesLba">Start of the primary entry array.</param>
/// <param name="PrimaryValid">Primary header and entries passed their CRCs.</param>
/// <param name="BackupValid">Backup header and entries passed their CRCs.</param>
/// <param name="DiskGuid">The disk GUID.</param>
public sealed record GptLayout(
    long PrimaryHeaderLba,
    long BackupHeaderLba,
    long FirstUsableLba,
    long LastUsableLba,
    int EntryCount,
    int EntrySize,
    long PrimaryEntriesLba,
    bool PrimaryValid,
    bool BackupValid,
    Guid DiskGuid)
{
    /// <summary>Sectors the entry array occupies.</summary>
    public long EntryArraySectors(int sectorSize) => ((long)EntryCount * EntrySize + sectorSize - 1) / sectorSize;
}
