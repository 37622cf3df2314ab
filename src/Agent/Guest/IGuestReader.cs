namespace Imprint.Agent.Guest;

/// <summary>
/// The read-only view of a guest filesystem that planning needs. Plans are computed from it before anything is
/// written, so <c>--dry-run</c> is free and the whole plan is validated before the first write.
/// </summary>
public interface IGuestReader
{
    /// <summary>
    /// Paths matching a guest glob, sorted ordinally, each spelled as the pattern's literal prefix plus the matched
    /// names (symlinks in it are not replaced by their targets), never <c>/</c> itself. Per component: <c>*</c>,
    /// <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, <c>[!x]</c>/<c>[^x]</c>, backslash escapes (<see cref="GuestGlob"/>); a
    /// name starting with '.' matches only a pattern component starting with '.'. A literal component matches when the
    /// path exists (a dangling symlink counts when last). A non-final component continues only into directories (a
    /// symlink to a directory is followed). <c>**</c> matches the directory itself and every non-hidden directory
    /// below it, without following symlinks; as the last component it also matches the non-hidden files and symlinks
    /// in them. A missing directory gives no matches, not an error.
    /// </summary>
    Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken);

    /// <summary>Metadata of a path (symlinks not followed), or null when it does not exist.</summary>
    Task<GuestFileStat?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>Text (UTF-8) of a regular file (symlinks followed inside the guest), or null when it does not exist or is not a regular file.</summary>
    Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// A hint: reads <paramref name="files"/> and stats <paramref name="statOnly"/> ahead in one pass, so the lookups
    /// that follow are answered from memory. Readers without a cache may ignore it.
    /// </summary>
    Task PrefetchAsync(IEnumerable<string> files, IEnumerable<string> statOnly, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxBytes"/> first bytes of a regular file (symlinks followed), or null when it does not exist or is not a regular file.</summary>
    Task<byte[]?> TryReadBytesAsync(string path, int maxBytes, CancellationToken cancellationToken);
}
