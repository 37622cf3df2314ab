using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>
/// The e2fsprogs engine of <see cref="IGuestFileSystem"/>: an ext2/3/4 filesystem at a byte range of the disk, read
/// through cached debugfs listings (<see cref="ExtGuestReader"/>) and edited in one <c>debugfs -w</c> session per
/// batch with an undo journal. No appliance, no mount. Reads are cached until the next <see cref="ApplyAsync"/>.
/// </summary>
public sealed class ExtGuestFileSystem : IGuestFileSystem
{
    private ExtGuestReader _reader;
    private bool _committed;

    public ExtGuestFileSystem(ExtFileSystem fileSystem, GuestAccess access)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        FileSystem = fileSystem;
        IsWritable = access == GuestAccess.ReadWrite;
        _reader = new ExtGuestReader(fileSystem);
    }

    /// <summary>The e2fsprogs view underneath, for ext-only work (superblock, e2fsck, grow).</summary>
    public ExtFileSystem FileSystem { get; }

    public string EngineName => GuestEngineName.E2fsprogs;

    public bool IsWritable { get; }

    public Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken) =>
        Readable().GlobAsync(pattern, cancellationToken);

    public Task PrefetchGlobsAsync(IEnumerable<string> patterns, CancellationToken cancellationToken) =>
        Readable().PrefetchGlobsAsync(patterns, cancellationToken);

    public Task<GuestFileStat?> StatAsync(string path, CancellationToken cancellationToken) =>
        Readable().StatAsync(path, cancellationToken);

    public Task<GuestFileStat?> StatFollowingAsync(string path, CancellationToken cancellationToken)
    {
        Readable();
        return FileSystem.StatAsync(path, followSymlinks: true, cancellationToken);
    }

    public Task<IReadOnlyList<GuestDirectoryEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        Readable();
        return FileSystem.ListDirectoryAsync(path, cancellationToken);
    }

    public Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken) =>
        Readable().TryReadTextAsync(path, cancellationToken);

    public Task PrefetchAsync(IEnumerable<string> files, IEnumerable<string> statOnly, CancellationToken cancellationToken) =>
        Readable().PrefetchAsync(files, statOnly, cancellationToken);

    public Task<byte[]?> TryReadBytesAsync(string path, int maxBytes, CancellationToken cancellationToken) =>
        Readable().TryReadBytesAsync(path, maxBytes, cancellationToken);

    public Task<IReadOnlyList<GuestChange>> PlanAsync(GuestEditBatch batch, CancellationToken cancellationToken)
    {
        Readable();
        return FileSystem.PlanAsync(batch, cancellationToken);
    }

    public async Task<IReadOnlyList<GuestChange>> ApplyAsync(GuestEditBatch batch, CancellationToken cancellationToken)
    {
        Readable();
        if (!IsWritable)
        {
            throw new InvalidOperationException("this guest filesystem was opened read-only");
        }

        try
        {
            return await FileSystem.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // What was read before describes the old filesystem.
            _reader = new ExtGuestReader(FileSystem);
        }
    }

    /// <summary>Nothing to flush: every batch's debugfs session closed (and synced) when it was applied.</summary>
    public Task CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _committed = true;
        return Task.CompletedTask;
    }

    public void Dispose() => FileSystem.Dispose();

    private ExtGuestReader Readable() => _committed
        ? throw new InvalidOperationException("the guest filesystem was committed; open it again to read or edit")
        : _reader;
}
