using Imprint.Agent.Disk;

namespace Imprint.Agent.Partitions;

/// <summary>One partition as the table describes it.</summary>
/// <param name="Number">1-based number as Linux names it (MBR logicals start at 5).</param>
/// <param name="Range">Byte range on the disk.</param>
/// <param name="FirstSector">First sector (LBA).</param>
/// <param name="LastSector">Last sector, inclusive.</param>
/// <param name="TypeId">GPT type GUID (lowercase) or MBR type as "0x83".</param>
/// <param name="TypeName">A friendly name for well-known types ("linux filesystem", "EFI system"…).</param>
/// <param name="Name">GPT partition name (PARTLABEL); null on MBR.</param>
/// <param name="UniqueId">The PARTUUID Linux shows: the GPT unique partition GUID (lowercase), or on MBR the disk signature, a dash and the number as two hex digits ("1a2b3c4d-01").</param>
/// <param name="Attributes">GPT attribute bits; 0 on MBR.</param>
/// <param name="IsLogical">An MBR logical partition inside an extended one.</param>
/// <param name="Bootable">MBR active flag, or GPT legacy-BIOS-bootable attribute.</param>
public sealed record Partition(
    int Number,
    ByteRange Range,
    long FirstSector,
    long LastSector,
    string TypeId,
    string TypeName,
    string? Name,
    string? UniqueId,
    ulong Attributes,
    bool IsLogical,
    bool Bootable);
