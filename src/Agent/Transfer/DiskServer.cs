using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Transfer;

/// <summary>
/// <c>imprint serve</c>: sends one disk's data extents to the one client holding the token, over TLS, then exits.
/// Connections are handled concurrently so a client that never finishes its handshake cannot block the real one;
/// only one transfer runs at a time. A wrong token gets the connection closed with nothing sent.
/// </summary>
public static class DiskServer
{
    public static async Task<ServeResult> ServeAsync(ServeRequest request, CancellationToken cancellationToken)
    {
        using var readLock = ImageLock.Shared(request.DiskPath);
        using var disk = DiskImage.OpenRead(request.DiskPath);
        var extents = FileExtents.DataExtents(disk.Handle, disk.WholeDisk);
        if (disk.IsBlockDevice)
        {
            extents = ZeroScan.NonZeroRuns(disk, extents, cancellationToken);
        }

        var mapHash = TransferProtocol.MapHash(extents);
        var stopwatch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        var listener = new TcpListener(request.Listen);
        try
        {
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // Port taken (another serve, a stale pod on hostNetwork) or an address this host does not have: exit 6.
            listener.Dispose();
            throw new ImprintException(ExitCode.Conflict, $"cannot listen on {request.Listen} (port {request.Listen.Port}): {ex.Message}", ex);
        }

        var done = new TaskCompletionSource<ServeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var transferLock = new SemaphoreSlim(1, 1);
        var refused = 0;
        var connections = new List<Task>();
        var acceptLoop = Task.CompletedTask;
        try
        {
            request.OnListening?.Invoke((System.Net.IPEndPoint)listener.LocalEndpoint);
            acceptLoop = AcceptLoopAsync();
            var finished = await Task.WhenAny(done.Task, Task.Delay(Timeout.Infinite, deadline.Token)).ConfigureAwait(false);
            if (finished == done.Task)
            {
                return await done.Task.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw ImprintException.Conflict($"no client fetched the disk within {request.Timeout}");
        }
        finally
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            listener.Stop();
            Task[] pending;
            lock (connections)
            {
                pending = [acceptLoop, .. connections];
            }

            await Task.WhenAll(pending).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }

        async Task AcceptLoopAsync()
        {
            while (!deadline.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                lock (connections)
                {
                    connections.Add(HandleAsync(client));
                }
            }
        }

        async Task HandleAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
                    using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token))
                    {
                        handshake.CancelAfter(request.HandshakeTimeout);
                        await tls.AuthenticateAsServerAsync(
                            new SslServerAuthenticationOptions { ServerCertificate = request.Certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
                            handshake.Token).ConfigureAwait(false);
                        if (!await ReadHelloAsync(tls, request.Token, handshake.Token).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref refused);
                            return;
                        }
                    }

                    await transferLock.WaitAsync(deadline.Token).ConfigureAwait(false);
                    try
                    {
                        var (count, bytes, hash) = await SendAsync(tls, disk, extents, mapHash, request.Progress, deadline.Token).ConfigureAwait(false);
                        var ack = new byte[1];
                        if (await tls.ReadAtLeastAsync(ack, 1, throwOnEndOfStream: false, deadline.Token).ConfigureAwait(false) == 1 && ack[0] == TransferProtocol.AckOk)
                        {
                            done.TrySetResult(new ServeResult(disk.Length, extents.Count, bytes, hash, Volatile.Read(ref refused), stopwatch.Elapsed));
                        }
                    }
                    finally
                    {
                        transferLock.Release();
                    }
                }
                catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    // A client that went away, failed TLS or was too slow: the server keeps waiting for the real one.
                }
            }
        }
    }

    private static async Task<bool> ReadHelloAsync(Stream tls, TransferToken token, CancellationToken cancellationToken)
    {
        var head = new byte[10];
        if (await tls.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < head.Length
            || !head.AsSpan(0, 8).SequenceEqual(TransferProtocol.HelloMagic))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8));
        if (length is 0 or > TransferToken.MaxLength)
        {
            return false;
        }

        var candidate = new byte[length];
        return await tls.ReadAtLeastAsync(candidate, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == length
            && token.Matches(candidate);
    }

    private static async Task<(long Frames, long Bytes, string Hash)> SendAsync(
        Stream tls, DiskImage disk, IReadOnlyList<ByteRange> extents, byte[] mapHash, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var total = FileExtents.TotalLength(extents);
        var header = new byte[TransferProtocol.HeaderLength];
        TransferProtocol.HeaderMagic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), disk.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), extents.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), total);
        mapHash.CopyTo(header.AsSpan(32));
        await tls.WriteAsync(header, cancellationToken).ConfigureAwait(false);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[13 + TransferProtocol.MaxFrameLength];
        long frames = 0;
        long sent = 0;
        var lastReport = TimeSpan.Zero;
        foreach (var extent in extents)
        {
            for (var position = extent.Offset; position < extent.End;)
            {
                var length = (int)Math.Min(TransferProtocol.MaxFrameLength, extent.End - position);
                buffer[0] = TransferProtocol.DataFrame;
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(1), position);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(9), length);
                var data = buffer.AsMemory(13, length);
                disk.ReadExactly(position, data.Span);
                hash.AppendData(data.Span);
                await tls.WriteAsync(buffer.AsMemory(0, 13 + length), cancellationToken).ConfigureAwait(false);
                position += length;
                sent += length;
                frames++;
                if (progress is not null && stopwatch.Elapsed - lastReport >= TimeSpan.FromMilliseconds(500))
                {
                    lastReport = stopwatch.Elapsed;
                    progress.Report(new CopyProgress(sent, total, stopwatch.Elapsed));
                }
            }
        }

        var digest = hash.GetHashAndReset();
        var trailer = new byte[1 + 8 + 8 + 32];
        trailer[0] = TransferProtocol.TrailerFrame;
        BinaryPrimitives.WriteInt64LittleEndian(trailer.AsSpan(1), frames);
        BinaryPrimitives.WriteInt64LittleEndian(trailer.AsSpan(9), sent);
        digest.CopyTo(trailer.AsSpan(17));
        await tls.WriteAsync(trailer, cancellationToken).ConfigureAwait(false);
        await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(new CopyProgress(sent, total, stopwatch.Elapsed));
        return (frames, sent, Convert.ToHexStringLower(digest));
    }
}
