namespace Imprint.Agent.Tests.Fuzz;

/// <summary>What a <see cref="Mutation"/> does: the byte-level damage real corrupt or hostile images show.</summary>
public enum MutationKind
{
    FlipBit,
    SetByte,
    SetU32,
    SetU64,
    Zero,
    Truncate,

    /// <summary>Recompute GPT and ext superblock checksums (see <see cref="ChecksumFixer"/>); Offset is the superblock's.</summary>
    FixChecksums,
}
