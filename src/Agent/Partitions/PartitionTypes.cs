namespace Imprint.Agent.Partitions;

/// <summary>Friendly names of well-known partition types.</summary>
public static class PartitionTypes
{
    private static readonly Dictionary<string, string> Gpt = new(StringComparer.OrdinalIgnoreCase)
    {
        ["0fc63daf-8483-4772-8e79-3d69d8477de4"] = "linux filesystem",
        ["0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"] = "linux swap",
        ["c12a7328-f81f-11d2-ba4b-00a0c93ec93b"] = "EFI system",
        ["21686148-6449-6e6f-744e-656564454649"] = "BIOS boot",
        ["e6d6d379-f507-44c2-a23c-238f2a3df928"] = "linux LVM",
        ["a19d880f-05fc-4d3b-a006-743f0f84911e"] = "linux RAID",
        ["44479540-f297-41b2-9af7-d131d5f0458a"] = "linux root (x86)",
        ["4f68bce3-e8cd-4db1-96e7-fbcaf984b709"] = "linux root (x86-64)",
        ["b921b045-1df0-41c3-af44-4c6f280d3fae"] = "linux root (ARM64)",
        ["bc13c2ff-59e6-4262-a352-b275fd6f7172"] = "linux extended boot",
        ["933ac7e1-2eb4-4f13-b844-0e14e2aef915"] = "linux home",
        ["3b8f8425-20e0-4f3b-907f-1a25a76f98e8"] = "linux srv",
        ["4d21b016-b534-45c2-a9fb-5c16e091fd2d"] = "linux var",
        ["8484680c-9521-48c6-9c11-b0720656f69e"] = "linux usr (x86-64)",
        ["b0e01050-ee5f-4390-949a-9101b17104e9"] = "linux usr (ARM64)",
        ["ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"] = "microsoft basic data",
        ["e3c9e316-0b5c-4db8-817d-f92df00215ae"] = "microsoft reserved",
        ["ca7d7ccb-63ed-4c53-861c-1742536059cc"] = "linux LUKS",
    };

    private static readonly Dictionary<byte, string> Mbr = new()
    {
        [0x83] = "linux",
        [0x82] = "linux swap",
        [0x8e] = "linux LVM",
        [0xfd] = "linux RAID",
        [0xef] = "EFI system",
        [0xee] = "GPT protective",
        [0x05] = "extended",
        [0x0f] = "extended (LBA)",
        [0x85] = "linux extended",
        [0x07] = "NTFS/exFAT",
        [0x0b] = "FAT32",
        [0x0c] = "FAT32 (LBA)",
        [0x06] = "FAT16",
    };

    /// <summary>A friendly name for a GPT type GUID; "unknown" for types not listed.</summary>
    public static string GptName(Guid type) => Gpt.TryGetValue(type.ToString(), out var name) ? name : "unknown";

    /// <summary>A friendly name for an MBR type byte; "unknown" for types not listed.</summary>
    public static string MbrName(byte type) => Mbr.TryGetValue(type, out var name) ? name : "unknown";
}
