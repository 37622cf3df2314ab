using System.Net;
using System.Net.Sockets;

namespace Imprint.Agent.Tests.Transfer;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server that passes the TLS bytes through untouched and, after
/// <see cref="CutAfterBytes"/> bytes from the server, kills both sides — what a client sees when the serving pod dies.
/// </summary>
public sealed class CuttingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly IPEndPoint _upstream;

    public CuttingProxy(IPEndPoint upstream, long cutAfterBytes)
    {
        _upstream = upstream;
        CutAfterBytes = cutAfterBytes;
        _listener.Start();
        _ = AcceptAsync();
    }

    public long CutAfterBytes { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Set once a connection was cut.</summary>
    public TaskCompletionSource Cut { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_upstream, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var buffer = new byte[16 * 1024];
                long relayed = 0;
                var down = server.GetStream();
                while (relayed < CutAfterBytes)
                {
                    var n = await down.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, CutAfterBytes - relayed)), _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    await client.GetStream().WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                    relayed += n;
                }

                client.Client.LingerState = new LingerOption(true, 0);
                server.Client.LingerState = new LingerOption(true, 0);
                Cut.TrySetResult();
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
