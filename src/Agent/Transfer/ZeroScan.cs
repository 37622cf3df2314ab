using System.Buffers;
using Imprint.Agent.Disk;

namespace Imprint.Agent.Transfer;

/// <summary>
/// Narrows extents to their non-zero runs (64 KiB granularity). A block device has no holes SEEK_DATA could report —
/// it is "all data" — so without this a 20 GiB volume would cross the network whole. Reading it twice locally is far
/// cheaper than sending its zeros.
/// </summary>
internal static class ZeroScan
{
    public const int Block = 64 * 1024;

    public static IReadOnlyList<ByteRange> NonZeroRuns(DiskImage disk, IReadOnlyList<ByteRange> extents, CancellationToken cancellationToken)
    {
        var runs = new List<ByteRange>();
        var buffer = ArrayPool<byte>.Shared.Rent(4 * 1024 * 1024);
        try
        {
            long runStart = -1;
            long runEnd = -1;
            foreach (var extent in extents)
            {
                for (var position = extent.Offset; position < extent.End;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var length = (int)Math.Min(buffer.Length, extent.End - position);
                    disk.ReadExactly(position, buffer.AsSpan(0, length));
                    for (var at = 0; at < length; at += Block)
                    {
                        var size = Math.Min(Block, length - at);
                        var offset = position + at;
                        if (!buffer.AsSpan(at, size).ContainsAnyExcept((byte)0))
                        {
                            continue;
                        }

                        if (runEnd == offset)
                        {
                            runEnd += size;
                        }
                        else
                        {
                            if (runStart >= 0)
                            {
                                runs.Add(new ByteRange(runStart, runEnd - runStart));
                            }

                            runStart = offset;
                            runEnd = offset + size;
                        }
                    }

                    position += length;
                }
            }

            if (runStart >= 0)
            {
                runs.Add(new ByteRange(runStart, runEnd - runStart));
            }

            return runs;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
