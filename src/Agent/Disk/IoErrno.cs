namespace Imprint.Agent.Disk;

/// <summary>
/// The Linux errno behind an <see cref="IOException"/> (.NET on Unix stores it as the HResult of the exceptions it
/// raises for a failed syscall), for the few failures that have their own documented exit code.
/// </summary>
public static class IoErrno
{
    public const int FileTooLarge = 27; // EFBIG
    public const int NoSpace = 28; // ENOSPC
    public const int ReadOnlyFileSystem = 30; // EROFS
    public const int QuotaExceeded = 122; // EDQUOT

    public static bool Is(Exception exception, int errno) => exception is IOException && exception.HResult == errno;

    public static bool IsOutOfSpace(Exception exception) => Is(exception, NoSpace) || Is(exception, QuotaExceeded);
}
