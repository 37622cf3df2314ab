namespace Imprint.Agent.Ext;

/// <summary>Block counts of a shrink: before, resize2fs's minimum (<c>-P</c>, what <c>-M</c> shrinks to) and after.</summary>
public sealed record ExtShrinkResult(int BlockSize, long OldBlockCount, long MinimumBlockCount, long NewBlockCount)
{
    public long OldSizeBytes => OldBlockCount * BlockSize;

    public long MinimumSizeBytes => MinimumBlockCount * BlockSize;

    public long NewSizeBytes => NewBlockCount * BlockSize;
}
