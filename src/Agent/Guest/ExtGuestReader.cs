using System.Text;
using Imprint.Agent.Ext;

namespace Imprint.Agent.Guest;

/// <summary>
/// The <see cref="IGuestReader"/> view of an ext filesystem. Directory listings are cached by
/// <see cref="ExtFileSystem"/>; file contents read here are cached too, and <see cref="PrefetchAsync"/> reads many
/// files with one debugfs process, so inspection costs a couple of processes instead of one per file. The caches
/// describe the filesystem as it was when read: use a new reader after writing.
/// </summary>
public sealed class ExtGuestReader(ExtFileSystem fileSystem) : IGuestReader
{
    private readonly Dictionary<string, byte[]?> _contents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GuestFileStat?> _stats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _globs = new(StringComparer.Ordinal);

    public ExtFileSystem FileSystem { get; } = fileSystem;

    public async Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken)
    {
        if (!_globs.TryGetValue(pattern, out var matches))
        {
            matches = await FileSystem.GlobAsync(pattern, cancellationToken).ConfigureAwait(false);
            _globs[pattern] = matches;
        }

        return matches;
    }

    /// <summary>Expands many globs in shared debugfs rounds and remembers the matches for <see cref="GlobAsync"/>.</summary>
    public async Task PrefetchGlobsAsync(IEnumerable<string> patterns, CancellationToken cancellationToken)
    {
        var wanted = patterns.Where(p => !_globs.ContainsKey(p)).ToList();
        foreach (var (pattern, matches) in await FileSystem.GlobManyAsync(wanted, cancellationToken).ConfigureAwait(false))
        {
            _globs[pattern] = matches;
        }
    }

    public async Task<GuestFileStat?> StatAsync(string path, CancellationToken cancellationToken)
    {
        if (!_stats.TryGetValue(path, out var stat))
        {
            stat = await FileSystem.StatAsync(path, followSymlinks: false, cancellationToken).ConfigureAwait(false);
            _stats[path] = stat;
        }

        return stat;
    }

    /// <summary>Stats these paths ahead in shared rounds (symlinks not followed).</summary>
    private async Task PrefetchStatsAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var wanted = paths.Where(p => !_stats.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        foreach (var (path, stat) in await FileSystem.StatManyAsync(wanted, followSymlinks: false, cancellationToken).ConfigureAwait(false))
        {
            _stats[path] = stat;
        }
    }

    public async Task PrefetchAsync(IEnumerable<string> files, IEnumerable<string> statOnly, CancellationToken cancellationToken)
    {
        var wanted = files.Where(p => !_contents.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
        await PrefetchStatsAsync(wanted.Concat(statOnly), cancellationToken).ConfigureAwait(false);
        if (wanted.Count == 0)
        {
            return;
        }

        // Only regular files can be dumped; directories and missing paths are remembered as "no content".
        var stats = await FileSystem.StatManyAsync(wanted, followSymlinks: true, cancellationToken).ConfigureAwait(false);

        var regular = wanted.Where(p => stats[p] is { Kind: GuestFileKind.File }).ToList();
        var contents = regular.Count > 0
            ? await FileSystem.ReadFilesAsync(regular, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, byte[]?>();
        foreach (var path in wanted)
        {
            _contents[path] = contents.TryGetValue(path, out var bytes) ? bytes : null;
        }
    }

    public async Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken)
    {
        await PrefetchAsync([path], [], cancellationToken).ConfigureAwait(false);
        return _contents[path] is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    public async Task<byte[]?> TryReadBytesAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        await PrefetchAsync([path], [], cancellationToken).ConfigureAwait(false);
        return _contents[path] is { } bytes ? bytes[..Math.Min(bytes.Length, maxBytes)] : null;
    }
}
