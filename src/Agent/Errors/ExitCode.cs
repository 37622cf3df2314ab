namespace Imprint.Agent.Errors;

/// <summary>Documented process exit codes of the <c>imprint</c> agent (README lists them).</summary>
public enum ExitCode
{
    Success = 0,
    /// <summary>Unexpected internal failure: a bug, please report.</summary>
    InternalError = 1,
    /// <summary>The command line or the spec file is wrong.</summary>
    Usage = 2,
    /// <summary>A path does not exist or cannot be opened.</summary>
    NotFound = 3,
    /// <summary>The image is malformed (truncated, bad CRCs, inconsistent tables).</summary>
    InvalidImage = 4,
    /// <summary>The image is valid but holds something Imprint does not handle yet.</summary>
    Unsupported = 5,
    /// <summary>The request cannot be satisfied as asked (target too small, no free space to grow into).</summary>
    Conflict = 6,
    /// <summary>An external tool (e2fsprogs, qemu-img, ssh-keygen) failed.</summary>
    ToolFailed = 7,
    /// <summary>The target cannot be written (read-only file or device, no space).</summary>
    NotWritable = 8,
    /// <summary>Operation cancelled (SIGINT/SIGTERM).</summary>
    Cancelled = 130,
}
