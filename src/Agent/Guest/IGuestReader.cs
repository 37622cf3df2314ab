using Imprint.Agent.Ext;

namespace Imprint.Agent.Guest;

/// <summary>
/// The read-only view of a guest filesystem that planning needs. Plans are computed from it before anything is
/// written, so <c>--dry-run</c> is free and the whole plan is validated before the first write.
/// </summary>
public interface IGuestReader
{
    /// <summary>Paths matching a guest glob (<c>*</c>, <c>?</c>, <c>[..]</c> per component, <c>**</c> recursive), in order.</summary>
    Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken);

    /// <summary>Metadata of a path (symlinks not followed), or null when it does not exist.</summary>
    Task<GuestFileStat?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>Text of a file (symlinks followed inside the guest), or null when it does not exist.</summary>
    Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// A hint: reads <paramref name="files"/> and stats <paramref name="statOnly"/> ahead in one pass, so the lookups
    /// that follow are answered from memory. Readers without a cache may ignore it.
    /// </summary>
    Task PrefetchAsync(IEnumerable<string> files, IEnumerable<string> statOnly, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxBytes"/> first bytes of a file (symlinks followed), or null when it does not exist.</summary>
    Task<byte[]?> TryReadBytesAsync(string path, int maxBytes, CancellationToken cancellationToken);
}
