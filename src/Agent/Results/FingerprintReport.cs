namespace Imprint.Agent.Results;

/// <summary>
/// What identifies a disk cheaply: its format, size (the virtual size for a container image), and the SHA-256 of the
/// first and last MiB of the first <c>length</c> bytes (partition table, boot code, backup GPT). Head and tail are
/// only computed for raw disks and block devices.
/// </summary>
public sealed record FingerprintReport(string Format, long Size, long? Length, string? Head, string? Tail);
