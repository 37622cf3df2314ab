namespace Imprint.Agent.Ext;

/// <summary>Block counts before and after <see cref="ExtFileSystem.GrowAsync"/>; equal when nothing had to grow.</summary>
public sealed record ExtGrowResult(int BlockSize, long OldBlockCount, long NewBlockCount, int FsckExitStatus)
{
    public bool Grew => NewBlockCount > OldBlockCount;
}
