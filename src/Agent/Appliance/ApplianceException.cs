using Imprint.Agent.Errors;

namespace Imprint.Agent.Appliance;

/// <summary>
/// A libguestfs call failed. The message names the call, the guest path or device it was about and libguestfs' own
/// error text; <see cref="Errno"/> is the errno the appliance reported (0 when none), which also picks the exit code:
/// a missing path is "not found", a full or read-only filesystem "not writable", I/O or corruption errors an invalid
/// image, anything else a failed tool.
/// </summary>
public sealed class ApplianceException(string call, string? subject, int errno, string error)
    : ImprintException(CodeOf(errno), $"libguestfs {call}{(subject is null ? string.Empty : $" '{subject}'")}: {error}")
{
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ENOTEMPTY = 39;
    public const int EUCLEAN = 117;

    /// <summary>The libguestfs call, e.g. <c>mount_options</c>.</summary>
    public string Call { get; } = call;

    public string? Subject { get; } = subject;

    public int Errno { get; } = errno;

    /// <summary>libguestfs' own error text (<c>guestfs_last_error</c>).</summary>
    public string Error { get; } = error;

    /// <summary>True when the path (or a folder on its way) does not exist.</summary>
    public bool IsNotFound => Errno is ENOENT or ENOTDIR;

    private static ExitCode CodeOf(int errno) => errno switch
    {
        ENOENT or ENOTDIR => ExitCode.NotFound,
        ENOSPC or EROFS or EACCES => ExitCode.NotWritable,
        EIO or EUCLEAN => ExitCode.InvalidImage,
        _ => ExitCode.ToolFailed,
    };
}
