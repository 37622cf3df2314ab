using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Imprint.Agent.Errors;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Disk;

/// <summary>
/// Copies a raw disk to a new image file (or a device) reading only the source's data extents. On a fresh file
/// target, holes stay holes and all-zero blocks inside data extents are not written, so the copy stays sparse.
/// </summary>
public static class SparseCopier
{
    /// <summary>
    /// Copies <paramref name="sourcePath"/> to <paramref name="targetPath"/>. A regular-file target is created (it must
    /// not exist, or be the empty work file a <see cref="PartialTarget"/> holds, so nothing is ever overwritten by
    /// mistake) with the source's length; a block-device target must be at
    /// least as large, and zero blocks are written to it because its old contents are unknown.
    /// </summary>
    public static async Task<CopyResult> CopyAsync(string sourcePath, string targetPath, SparseCopyOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SparseCopyOptions();
        var sourceFull = Path.GetFullPath(sourcePath);
        var targetFull = Path.GetFullPath(targetPath);
        if (string.Equals(sourceFull, targetFull, StringComparison.Ordinal))
        {
            throw ImprintException.Usage($"target '{targetPath}' is the source itself");
        }

        SourceGuard.EnsureNotSource(targetFull, sourceFull, "target");

        using var source = DiskImage.Open(sourcePath, writable: false, requireRaw: options.SourceIsRawDisk);
        var targetIsDevice = File.Exists(targetFull) && BlockDevice.IsBlockDevice(targetFull);
        SafeFileHandle target;
        bool created;
        try
        {
            target = WorkFile.Open(targetFull, targetIsDevice, out created);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or DirectoryNotFoundException)
        {
            throw ImprintException.NotWritable($"cannot create target '{targetPath}': {ex.Message}");
        }

        var completed = false;
        try
        {
            var result = await CopyToHandleAsync(source, target, writeZeros: targetIsDevice, options, cancellationToken).ConfigureAwait(false);
            completed = true;
            return result;
        }
        finally
        {
            target.Dispose();
            if (!completed && created)
            {
                // A half-written file target is worse than none: remove it.
                File.Delete(targetFull);
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> into an open target handle (used by the copy and by converters).</summary>
    public static async Task<CopyResult> CopyToHandleAsync(DiskImage source, SafeFileHandle target, bool writeZeros, SparseCopyOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (writeZeros)
        {
            var targetLength = BlockDevice.IsBlockDeviceHandle(target) ? BlockDevice.GetSize(target) : RandomAccess.GetLength(target);
            if (targetLength < source.Length)
            {
                throw ImprintException.Conflict($"target holds {targetLength} bytes, smaller than the source's {source.Length}");
            }
        }
        else
        {
            FileSizeLimit.SetLength(target, null, source.Length);
        }

        var extents = writeZeros ? [source.WholeDisk] : FileExtents.DataExtents(source.Handle, source.WholeDisk);
        var total = FileExtents.TotalLength(extents);
        using var hash = options.Verify ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

        // Two buffers: while one chunk is being written, the next is read, so reads and writes overlap.
        var buffers = new[] { ArrayPool<byte>.Shared.Rent(options.BufferSize), ArrayPool<byte>.Shared.Rent(options.BufferSize) };
        Task pendingWrite = Task.CompletedTask;
        long done = 0;
        long written = 0;
        var lastReport = TimeSpan.Zero;
        var current = 0;
        try
        {
            foreach (var extent in extents)
            {
                AppendExtentHeader(hash, extent);
                var position = extent.Offset;
                while (position < extent.End)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var length = (int)Math.Min(options.BufferSize, extent.End - position);
                    var chunk = buffers[current].AsMemory(0, length);
                    source.ReadExactly(position, chunk.Span);
                    hash?.AppendData(chunk.Span);
                    options.Digest?.AppendData(position, chunk.Span);
                    if (writeZeros || chunk.Span.ContainsAnyExcept((byte)0))
                    {
                        await pendingWrite.ConfigureAwait(false);
                        var at = position;
                        pendingWrite = Task.Run(() => RandomAccess.Write(target, chunk.Span, at), cancellationToken);
                        written += length;
                        current ^= 1;
                    }

                    position += length;
                    done += length;
                    if (options.Progress is not null && stopwatch.Elapsed - lastReport >= options.ProgressInterval)
                    {
                        lastReport = stopwatch.Elapsed;
                        options.Progress.Report(new CopyProgress(done, total, stopwatch.Elapsed));
                    }
                }
            }

            await pendingWrite.ConfigureAwait(false);
            RandomAccess.FlushToDisk(target);
        }
        finally
        {
            // A write still in flight must finish before its buffer goes back to the pool.
            await pendingWrite.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }

        string? digest = null;
        if (hash is not null)
        {
            digest = Convert.ToHexStringLower(hash.GetHashAndReset());
            var targetDigest = HashExtents(target, extents, options.BufferSize, cancellationToken);
            if (!string.Equals(digest, targetDigest, StringComparison.Ordinal))
            {
                throw ImprintException.InvalidImage($"verification failed: source data hash {digest} differs from target's {targetDigest}");
            }
        }

        options.Progress?.Report(new CopyProgress(done, total, stopwatch.Elapsed));
        return new CopyResult(source.Length, done, written, stopwatch.Elapsed, digest);
    }

    /// <summary>SHA-256 over (offset, length, bytes) of each extent, the same framing the copy hashes the source with.</summary>
    public static string HashExtents(SafeFileHandle handle, IReadOnlyList<ByteRange> extents, int bufferSize, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            foreach (var extent in extents)
            {
                AppendExtentHeader(hash, extent);
                var position = extent.Offset;
                while (position < extent.End)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var length = (int)Math.Min(bufferSize, extent.End - position);
                    var span = buffer.AsSpan(0, length);
                    var read = 0;
                    while (read < length)
                    {
                        var n = RandomAccess.Read(handle, span[read..], position + read);
                        if (n == 0)
                        {
                            throw ImprintException.InvalidImage($"target ended at byte {position + read} during verification");
                        }

                        read += n;
                    }

                    hash.AppendData(span);
                    position += length;
                }
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AppendExtentHeader(IncrementalHash? hash, ByteRange extent)
    {
        if (hash is null)
        {
            return;
        }

        Span<byte> header = stackalloc byte[16];
        BitConverter.TryWriteBytes(header, extent.Offset);
        BitConverter.TryWriteBytes(header[8..], extent.Length);
        hash.AppendData(header);
    }
}
