using Imprint.Agent.Ext;

namespace Imprint.Agent.Guest;

/// <summary>The <see cref="IGuestReader"/> view of an ext filesystem (reads are cached by <see cref="ExtFileSystem"/>).</summary>
public sealed class ExtGuestReader(ExtFileSystem fileSystem) : IGuestReader
{
    public ExtFileSystem FileSystem { get; } = fileSystem;

    public Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken) =>
        FileSystem.GlobAsync(pattern, cancellationToken);

    public Task<GuestFileStat?> StatAsync(string path, CancellationToken cancellationToken) =>
        FileSystem.StatAsync(path, followSymlinks: false, cancellationToken);

    public Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken) =>
        FileSystem.TryReadTextAsync(path, cancellationToken);

    public async Task<byte[]?> TryReadBytesAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        var stat = await FileSystem.StatAsync(path, followSymlinks: true, cancellationToken).ConfigureAwait(false);
        if (stat is not { Kind: GuestFileKind.File })
        {
            return null;
        }

        var files = await FileSystem.ReadFilesAsync([path], cancellationToken).ConfigureAwait(false);
        return files[path] is { } bytes ? bytes[..Math.Min(bytes.Length, maxBytes)] : null;
    }
}
