using System.Buffers.Binary;

namespace Imprint.Agent.Tests.Support;

/// <summary>Damaged or unusual images made with the real tools, and the check that no stack trace reaches a user.</summary>
public static class BadImages
{
    /// <summary>Asserts that no .NET stack frame ("   at Namespace.Type.Method") reached the user.</summary>
    public static void AssertNoStackTrace(string text) =>
        Assert.False(text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Unhandled exception", StringComparison.Ordinal), $"a stack trace reached the user:\n{text}");

    /// <summary>An ext4 root (1 KiB blocks, so group 1 holds a backup superblock) whose primary superblock is zeroed.</summary>
    public static long ZeroedSuperblockDisk(string path)
    {
        TestDisks.CreateGpt(path, 64, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(path, 1, "ext4", null, "-b", "1024");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset + 1024;
        stream.Write(new byte[1024]);
        return offset;
    }

    /// <summary>An ext4 filesystem (no metadata_csum, so the superblock stays self-consistent) with incompat bit 31 set.</summary>
    public static long UnknownFeatureDisk(string path)
    {
        TestDisks.CreateGpt(path, 64, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(path, 1, "ext4", null, "-O", "^metadata_csum");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var field = new byte[4];
        stream.Position = offset + 1024 + 0x60;
        stream.ReadExactly(field);
        BinaryPrimitives.WriteUInt32LittleEndian(field, BinaryPrimitives.ReadUInt32LittleEndian(field) | 0x8000_0000);
        stream.Position = offset + 1024 + 0x60;
        stream.Write(field);
        return offset;
    }
}
