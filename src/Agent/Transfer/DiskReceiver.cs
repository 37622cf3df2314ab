using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Transfer;

/// <summary>
/// The client of <see cref="DiskServer"/>: receives the data extents into a target and checks the map and data hashes
/// before acknowledging. It never removes anything itself; the caller's <see cref="PartialTarget"/> drops a failed file.
/// </summary>
public static class DiskReceiver
{
    private const int ZeroScanBlock = 64 * 1024;

    public static async Task<CopyReport> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        if (request.Source.Scheme != Uri.UriSchemeHttps || request.Source.Port <= 0)
        {
            throw ImprintException.Usage($"transfer source '{request.Source}' must be https://HOST:PORT");
        }

        var stopwatch = Stopwatch.StartNew();
        using var tcp = new TcpClient();
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(request.ConnectTimeout);
            try
            {
                await tcp.ConnectAsync(request.Source.Host, request.Source.Port, connect.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new ImprintException(ExitCode.NotFound, $"source not reachable: {request.Source.Host}:{request.Source.Port}: {ex.Message}", ex);
            }
        }

        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, request.Trust.Validate);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = request.ServerName ?? request.Source.IdnHost, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            throw new ImprintException(ExitCode.NotFound, $"TLS with {request.Source.Authority} failed; its certificate is not signed by the given CA or does not name the host: {ex.Message}", ex);
        }

        try
        {
            return await TransferAsync(tls, request, stopwatch, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new ImprintException(ExitCode.NotFound, $"the transfer from {request.Source.Authority} broke off: {ex.Message}", ex);
        }
    }

    private static async Task<CopyReport> TransferAsync(SslStream tls, ReceiveRequest request, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var hello = new byte[10 + request.Token.Value.Length];
        TransferProtocol.HelloMagic.CopyTo(hello);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(8), (ushort)request.Token.Value.Length);
        request.Token.Value.CopyTo(hello.AsSpan(10));
        await tls.WriteAsync(hello, cancellationToken).ConfigureAwait(false);
        await tls.FlushAsync(cancellationToken).ConfigureAwait(false);

        var header = new byte[TransferProtocol.HeaderLength];
        var read = await tls.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw ImprintException.NotFound($"{request.Source.Authority} closed the connection without sending the disk: the token was refused");
        }

        if (read < header.Length || !header.AsSpan(0, 8).SequenceEqual(TransferProtocol.HeaderMagic))
        {
            throw ImprintException.InvalidImage($"{request.Source.Authority} does not speak the imprint transfer protocol");
        }

        var virtualSize = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        var allocated = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24));
        var mapHash = header.AsSpan(32, 32).ToArray();
        if (virtualSize < 0 || allocated < 0 || allocated > virtualSize)
        {
            throw ImprintException.InvalidImage($"transfer header from {request.Source.Authority} is inconsistent (size {virtualSize}, allocated {allocated})");
        }

        using var target = OpenTarget(request, virtualSize);
        var extents = new List<ByteRange>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[TransferProtocol.MaxFrameLength];
        var frameHead = new byte[13];
        long frames = 0;
        long received = 0;
        long end = 0;
        long written = 0;
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            await TransferProtocol.ReadExactlyAsync(tls, frameHead.AsMemory(0, 1), "frame type", cancellationToken).ConfigureAwait(false);
            if (frameHead[0] == TransferProtocol.TrailerFrame)
            {
                break;
            }

            if (frameHead[0] != TransferProtocol.DataFrame)
            {
                throw ImprintException.InvalidImage($"unknown transfer frame type {frameHead[0]}");
            }

            await TransferProtocol.ReadExactlyAsync(tls, frameHead.AsMemory(1, 12), "frame header", cancellationToken).ConfigureAwait(false);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(frameHead.AsSpan(1));
            var length = BinaryPrimitives.ReadInt32LittleEndian(frameHead.AsSpan(9));
            if (length is <= 0 or > TransferProtocol.MaxFrameLength || offset < end || offset > virtualSize - length)
            {
                throw ImprintException.InvalidImage($"transfer frame [{offset}, +{length}) is out of order or outside the {virtualSize}-byte disk");
            }

            var data = buffer.AsMemory(0, length);
            await TransferProtocol.ReadExactlyAsync(tls, data, "frame data", cancellationToken).ConfigureAwait(false);
            hash.AppendData(data.Span);
            request.Digest?.AppendData(offset, data.Span);
            if (request.TargetIsBlockDevice)
            {
                written += await ZeroAsync(target, end, offset, cancellationToken).ConfigureAwait(false);
            }

            written += await WriteAsync(target, data, offset, writeZeros: request.TargetIsBlockDevice, cancellationToken).ConfigureAwait(false);
            if (extents.Count > 0 && extents[^1].End == offset)
            {
                extents[^1] = new ByteRange(extents[^1].Offset, extents[^1].Length + length);
            }
            else
            {
                extents.Add(new ByteRange(offset, length));
            }

            end = offset + length;
            received += length;
            frames++;
            if (request.Progress is not null && stopwatch.Elapsed - lastReport >= TimeSpan.FromMilliseconds(500))
            {
                lastReport = stopwatch.Elapsed;
                request.Progress.Report(new CopyProgress(received, allocated, stopwatch.Elapsed));
            }
        }

        var trailer = new byte[8 + 8 + 32];
        await TransferProtocol.ReadExactlyAsync(tls, trailer, "trailer", cancellationToken).ConfigureAwait(false);
        if (request.TargetIsBlockDevice)
        {
            written += await ZeroAsync(target, end, virtualSize, cancellationToken).ConfigureAwait(false);
        }

        var digest = hash.GetHashAndReset();
        if (BinaryPrimitives.ReadInt64LittleEndian(trailer) != frames || BinaryPrimitives.ReadInt64LittleEndian(trailer.AsSpan(8)) != received || received != allocated)
        {
            throw ImprintException.InvalidImage($"transfer incomplete: received {frames} frames and {received} bytes, the server sent {BinaryPrimitives.ReadInt64LittleEndian(trailer)} and {BinaryPrimitives.ReadInt64LittleEndian(trailer.AsSpan(8))} (allocated {allocated})");
        }

        if (!TransferProtocol.MapHash(extents).AsSpan().SequenceEqual(mapHash))
        {
            throw ImprintException.InvalidImage("transfer map hash mismatch: the extents received differ from the server's map");
        }

        if (!digest.AsSpan().SequenceEqual(trailer.AsSpan(16)))
        {
            throw ImprintException.InvalidImage($"transfer data hash mismatch: expected {Convert.ToHexStringLower(trailer.AsSpan(16))} got {Convert.ToHexStringLower(digest)}");
        }

        RandomAccess.FlushToDisk(target);
        await tls.WriteAsync(new[] { TransferProtocol.AckOk }, cancellationToken).ConfigureAwait(false);
        await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
        request.Progress?.Report(new CopyProgress(received, allocated, stopwatch.Elapsed));
        return new CopyReport("stream", ["raw"], virtualSize, received, written, stopwatch.ElapsedMilliseconds, null)
        {
            Checksum = "sha256:" + Convert.ToHexStringLower(digest),
        };
    }

    private static SafeFileHandle OpenTarget(ReceiveRequest request, long virtualSize)
    {
        SafeFileHandle handle;
        try
        {
            handle = WorkFile.Open(request.TargetPath, request.TargetIsBlockDevice, out _);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new ImprintException(ExitCode.NotWritable, $"cannot open target '{request.TargetPath}': {ex.Message}", ex);
        }

        if (request.TargetIsBlockDevice)
        {
            var size = BlockDevice.GetSize(handle);
            if (size < virtualSize)
            {
                handle.Dispose();
                throw ImprintException.Conflict($"block device '{request.TargetPath}' holds {size} bytes, smaller than the served disk's {virtualSize}");
            }
        }
        else
        {
            FileSizeLimit.SetLength(handle, request.TargetPath, virtualSize);
        }

        return handle;
    }

    /// <summary>Writes a frame; on a new file, all-zero blocks are left as holes.</summary>
    private static async Task<long> WriteAsync(SafeFileHandle target, ReadOnlyMemory<byte> data, long offset, bool writeZeros, CancellationToken cancellationToken)
    {
        if (writeZeros)
        {
            await RandomAccess.WriteAsync(target, data, offset, cancellationToken).ConfigureAwait(false);
            return data.Length;
        }

        long written = 0;
        for (var at = 0; at < data.Length; at += ZeroScanBlock)
        {
            var block = data.Slice(at, Math.Min(ZeroScanBlock, data.Length - at));
            if (block.Span.ContainsAnyExcept((byte)0))
            {
                await RandomAccess.WriteAsync(target, block, offset + at, cancellationToken).ConfigureAwait(false);
                written += block.Length;
            }
        }

        return written;
    }

    /// <summary>A device keeps its old bytes where the source has holes: zero them.</summary>
    private static async Task<long> ZeroAsync(SafeFileHandle target, long from, long to, CancellationToken cancellationToken)
    {
        var zeros = new byte[Math.Min(TransferProtocol.MaxFrameLength, Math.Max(0, to - from))];
        for (var position = from; position < to;)
        {
            var length = (int)Math.Min(zeros.Length, to - position);
            await RandomAccess.WriteAsync(target, zeros.AsMemory(0, length), position, cancellationToken).ConfigureAwait(false);
            position += length;
        }

        return Math.Max(0, to - from);
    }
}
