using Imprint.Agent.Errors;

namespace Imprint.Agent.Disk;

/// <summary>A half-open byte range <c>[Offset, Offset + Length)</c> on a disk. Everything that touches a disk takes one.</summary>
public readonly record struct ByteRange
{
    public ByteRange(long offset, long length)
    {
        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "offset must not be negative");
        }

        if (length < 0 || offset > long.MaxValue - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "length must be non-negative and the range must not overflow");
        }

        Offset = offset;
        Length = length;
    }

    public long Offset { get; }

    public long Length { get; }

    public long End => Offset + Length;

    public bool Contains(ByteRange inner) => inner.Offset >= Offset && inner.End <= End;

    /// <summary>A sub-range relative to this range's start, checked to stay inside it.</summary>
    public ByteRange Slice(long relativeOffset, long length)
    {
        var slice = new ByteRange(Offset + relativeOffset, length);
        if (relativeOffset < 0 || !Contains(slice))
        {
            throw ImprintException.InvalidImage($"range {slice} lies outside {this}");
        }

        return slice;
    }

    public override string ToString() => $"[{Offset}, {End})";
}
