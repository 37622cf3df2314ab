using Imprint.Agent.Disk;

namespace Imprint.Agent.Importing;

/// <summary>An import: download <see cref="Url"/>, verify it, and land it as sparse raw at <see cref="Target"/>.</summary>
public sealed record ImportRequest
{
    public required Uri Url { get; init; }

    /// <summary>A file to create (TARGET.partial, then renamed) or an existing block device (written in place).</summary>
    public required string Target { get; init; }

    public ImageChecksum? Checksum { get; init; }

    /// <summary>File of <c>Name: value</c> header lines (a mounted Secret); never logged.</summary>
    public string? HeaderFile { get; init; }

    /// <summary>PEM CA(s) to trust for https instead of the system store.</summary>
    public string? CaFile { get; init; }

    public bool Overwrite { get; init; }

    /// <summary>Folder for a download that must be converted from a file (qcow2…); default: beside the target (TMPDIR for a device).</summary>
    public string? ScratchDirectory { get; init; }

    public RetryPolicy Retry { get; init; } = new();

    /// <summary>Download progress (bytes of the file as served).</summary>
    public IProgress<CopyProgress>? Progress { get; init; }

    /// <summary>Progress of the qemu-img conversion that follows a container download.</summary>
    public IProgress<CopyProgress>? ConvertProgress { get; init; }
}
