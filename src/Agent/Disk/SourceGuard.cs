using Imprint.Agent.Errors;

namespace Imprint.Agent.Disk;

/// <summary>
/// Refuses to remove or write a path that is the command's source: the same path, a hard link to it (same device and
/// inode), a symbolic link resolving to it, or a device node of the same block device. Exit 2: the command line is
/// wrong, and nothing has been touched yet.
/// </summary>
public static class SourceGuard
{
    public static void EnsureNotSource(string path, string? source, string role)
    {
        if (source is null || Statx.OfPath(source) is not { } sourceInfo)
        {
            return;
        }

        if (IsSame(path, sourceInfo))
        {
            throw ImprintException.Usage($"{role} '{path}' is the source itself ('{source}'); refusing to remove or write the source");
        }
    }

    /// <summary>Whether <paramref name="candidate"/> (or, for a work file, what the caller is about to open) is the source.</summary>
    internal static bool IsSame(Statx.Info candidate, Statx.Info source) =>
        FileIdentity.From(candidate) == FileIdentity.From(source)
        || (candidate.IsBlockDevice && source.IsBlockDevice && candidate.RDevMajor == source.RDevMajor && candidate.RDevMinor == source.RDevMinor);

    private static bool IsSame(string path, Statx.Info source) =>
        (Statx.OfLink(path) is { } link && IsSame(link, source)) || (Statx.OfPath(path) is { } resolved && IsSame(resolved, source));
}
