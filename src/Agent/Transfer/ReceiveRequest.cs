namespace Imprint.Agent.Transfer;

/// <summary>Where to fetch a served disk from and where to write it.</summary>
public sealed record ReceiveRequest
{
    /// <summary><c>https://HOST:PORT</c> of an <c>imprint serve</c>.</summary>
    public required Uri Source { get; init; }

    public required TransferToken Token { get; init; }

    public required TlsTrust Trust { get; init; }

    /// <summary>
    /// The name the server certificate must carry when it differs from the URL's host: the operator dials a pod IP,
    /// known only after the certificate was made, and names the certificate instead.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>A new file (created here) or an existing block device.</summary>
    public required string TargetPath { get; init; }

    public bool TargetIsBlockDevice { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public IProgress<Disk.CopyProgress>? Progress { get; init; }

    /// <summary>Fed every received frame in offset order, so the source's disk digest costs no second read.</summary>
    public Integrity.DiskDigester? Digest { get; init; }
}
