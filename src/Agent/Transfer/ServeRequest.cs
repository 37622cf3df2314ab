using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Imprint.Agent.Transfer;

/// <summary>What <see cref="DiskServer"/> serves, where, to whom, and for how long.</summary>
public sealed record ServeRequest
{
    public required string DiskPath { get; init; }

    public required IPEndPoint Listen { get; init; }

    public required TransferToken Token { get; init; }

    public required X509Certificate2 Certificate { get; init; }

    /// <summary>How long to wait for the one successful transfer before giving up (exit 6).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest a client may take to finish TLS and send its token (a silent client must not hold a slot).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Called once the socket listens, with the bound address (port 0 picks a free one).</summary>
    public Action<IPEndPoint>? OnListening { get; init; }

    public IProgress<Disk.CopyProgress>? Progress { get; init; }
}
