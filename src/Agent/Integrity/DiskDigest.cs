using System.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Integrity;

/// <summary>
/// The digest of a disk: <c>sha256:</c> + 64 lowercase hex digits, the SHA-256 of every byte of the disk from 0 to its
/// length — exactly what <c>sha256sum</c> prints for the fully written file. Only data extents (SEEK_DATA/SEEK_HOLE)
/// are read; holes are zeros by definition and hashed as such without being read. A block device has no holes, so
/// all of it is read.
/// </summary>
public static class DiskDigest
{
    public const string Prefix = "sha256:";

    private const int BufferSize = 4 * 1024 * 1024;

    public static string Format(ReadOnlySpan<byte> sha256) => Prefix + Convert.ToHexStringLower(sha256);

    /// <summary>True when <paramref name="text"/> is <c>sha256:</c> followed by 64 hex digits (either case).</summary>
    public static bool IsValid(string? text) =>
        text is { Length: 71 } && text.StartsWith(Prefix, StringComparison.Ordinal) && text.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdefABCDEF") is false;

    /// <summary>The canonical (lowercase) form of a digest given on a command line; exit 2 when it is not one.</summary>
    public static string Parse(string text, string what) => IsValid(text)
        ? text.ToLowerInvariant()
        : throw ImprintException.Usage($"{what} '{text}' is not a disk digest; expected sha256: followed by 64 hex digits (as 'imprint digest' prints)");

    /// <summary>
    /// Computes the digest of the raw disk or block device at <paramref name="path"/> (read-only, shared lock); with
    /// <paramref name="length"/>, of its first <paramref name="length"/> bytes (a copy on a larger device).
    /// </summary>
    public static DigestResult Compute(string path, CancellationToken cancellationToken, long? length = null)
    {
        var stopwatch = Stopwatch.StartNew();
        using var readLock = ImageLock.Shared(path);
        using var disk = DiskImage.OpenRead(path);
        if (length is { } l && (l <= 0 || l > disk.Length))
        {
            throw ImprintException.Conflict($"'{path}' holds {disk.Length} bytes; a digest of its first {l} bytes cannot be computed");
        }

        var range = new ByteRange(0, length ?? disk.Length);
        var extents = disk.IsBlockDevice ? [range] : FileExtents.DataExtents(disk.Handle, range);
        using var digester = new DiskDigester();
        var buffers = new[] { new byte[BufferSize], new byte[BufferSize] };
        var current = 0;
        long read = 0;

        // Read the next chunk while the previous one is hashed: sha256 and the page cache each get a core.
        Task pending = Task.CompletedTask;
        foreach (var extent in extents)
        {
            for (var position = extent.Offset; position < extent.End;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var size = (int)Math.Min(BufferSize, extent.End - position);
                var chunk = buffers[current].AsMemory(0, size);
                disk.ReadExactly(position, chunk.Span);
                pending.Wait(cancellationToken);
                var at = position;
                pending = Task.Run(() => digester.AppendData(at, chunk.Span), cancellationToken);
                current ^= 1;
                position += size;
                read += size;
            }
        }

        pending.Wait(cancellationToken);
        var digest = digester.Finish(range.Length);
        return new DigestResult(digest, range.Length, read, stopwatch.Elapsed);
    }
}
