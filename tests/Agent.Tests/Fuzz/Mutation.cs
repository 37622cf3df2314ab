using System.Buffers.Binary;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>One change to an image's bytes. <see cref="Length"/> is the new file length for a truncation.</summary>
public sealed record Mutation(MutationKind Kind, long Offset, ulong Value, int Length)
{
    /// <summary>Applies the mutation to <paramref name="image"/>; returns the (possibly shortened) image length.</summary>
    public int ApplyTo(byte[] image, int length)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Kind == MutationKind.Truncate)
        {
            return (int)Math.Min(length, Offset);
        }

        if (Kind == MutationKind.FixChecksums)
        {
            ChecksumFixer.Fix(image, length, Offset);
            return length;
        }

        var at = (int)Math.Clamp(Offset, 0, Math.Max(0, length - 1));
        switch (Kind)
        {
            case MutationKind.FlipBit:
                image[at] ^= (byte)(1 << (int)(Value % 8));
                break;
            case MutationKind.SetByte:
                image[at] = (byte)Value;
                break;
            case MutationKind.SetU32 when at + 4 <= length:
                BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), (uint)Value);
                break;
            case MutationKind.SetU64 when at + 8 <= length:
                BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at), Value);
                break;
            case MutationKind.Zero:
                image.AsSpan(at, Math.Min(Length, length - at)).Clear();
                break;
            default:
                break;
        }

        return length;
    }

    public override string ToString() => Kind == MutationKind.Truncate ? $"truncate@{Offset}" : $"{Kind}@{Offset}=0x{Value:x}/{Length}";
}
