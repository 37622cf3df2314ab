namespace Imprint.Agent.Ext;

/// <summary>The superblock facts edits and growing need, read with <c>dumpe2fs -h</c>.</summary>
public sealed record ExtSuperblockInfo(
    int BlockSize,
    long BlockCount,
    long FreeBlocks,
    IReadOnlySet<string> Features,
    string State,
    string? Uuid)
{
    public long SizeBytes => BlockCount * BlockSize;

    public bool NeedsRecovery => Features.Contains("needs_recovery");

    public bool Has64Bit => Features.Contains("64bit");
}
