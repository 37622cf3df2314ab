using System.Text;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>
/// A guest mounted inside a launched libguestfs appliance (root at <c>/</c>, its other fstab filesystems below), read
/// and edited with <see cref="IGuestFileSystem"/>'s engine-neutral calls, and grown in place
/// (<see cref="IGuestFileSystemGrower"/>), so a clone grows, seals and customizes in the one launch. SELinux
/// relabelling is seal's and customize's (engine-neutral SelinuxRelabel), not the engine's. Batches are
/// planned against <see cref="ApplianceView"/> (checked whole before the first write), then applied call by call.
/// </summary>
public sealed class ApplianceGuestFileSystem : IGuestFileSystem, IGuestFileSystemGrower
{
    private readonly ApplianceSession _session;
    private readonly ApplianceView _view;
    private readonly IDisposable? _lockHandover;
    private readonly Dictionary<string, byte[]?> _contents = new(StringComparer.Ordinal);
    private readonly bool _ownsSession = true;
    private bool _committed;

    internal ApplianceGuestFileSystem(ApplianceSession session, bool writable, ApplianceMounts mounts, IDisposable? lockHandover)
    {
        _lockHandover = lockHandover;
        _session = session;
        _view = new ApplianceView(session);
        IsWritable = writable;
        Mounts = mounts;
    }

    private ApplianceGuestFileSystem(ApplianceSession session, bool writable, ApplianceMounts mounts)
        : this(session, writable, mounts, lockHandover: null)
    {
        _ownsSession = false;
    }

    public string EngineName => GuestEngineName.Libguestfs;

    public bool IsWritable { get; }

    /// <summary>What is mounted where inside the appliance, and how the root was found.</summary>
    public ApplianceMounts Mounts { get; }

    /// <summary>
    /// The engine over a launched session it does not own, with the guest already mounted at <c>/</c>: commit only
    /// syncs (the appliance keeps running, the mounts stay) and dispose leaves the session open. For callers that run
    /// many guests through one launch (the engine contract's tests).
    /// </summary>
    internal static ApplianceGuestFileSystem OverSharedSession(ApplianceSession session, bool writable, ApplianceMounts mounts) =>
        new(session, writable, mounts);

    /// <summary>The open appliance, for callers that need a call the interface does not offer (tests, oracles).</summary>
    public ApplianceSession Session => _session;

    public Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_view.Glob(pattern));
    }

    public Task<GuestFileStat?> StatAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = _view.Resolve(GuestPath.Normalize(path), followFinal: false);
        return Task.FromResult(resolved is { Failure: ApplianceResolveFailure.None, Node: { } node } ? node.ToStat(GuestPath.Normalize(path)) : null);
    }

    public Task<GuestFileStat?> StatFollowingAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = _view.Resolve(GuestPath.Normalize(path), followFinal: true);
        return Task.FromResult(resolved is { Failure: ApplianceResolveFailure.None, Node: { } node } ? node.ToStat(resolved.Path) : null);
    }

    public async Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken) =>
        await ReadAsync(path, cancellationToken).ConfigureAwait(false) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public Task PrefetchAsync(IEnumerable<string> files, IEnumerable<string> statOnly, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PrefetchGlobsAsync(IEnumerable<string> patterns, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<byte[]?> TryReadBytesAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = _view.Resolve(GuestPath.Normalize(path), followFinal: true);
        if (resolved is not { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.File })
        {
            return Task.FromResult<byte[]?>(null);
        }

        return Task.FromResult<byte[]?>(resolved.Node.Size == 0 || maxBytes <= 0 ? [] : _session.Pread(resolved.Path, (int)Math.Min(maxBytes, resolved.Node.Size), 0));
    }

    public Task<IReadOnlyList<GuestDirectoryEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = _view.Resolve(GuestPath.Normalize(path), followFinal: true);
        if (resolved is not { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.Directory })
        {
            throw ImprintException.NotFound($"'{path}' is not a directory in the guest");
        }

        IReadOnlyList<GuestDirectoryEntry> entries = _view.Children(resolved.Path)
            .Select(name => (name, node: _view.Lookup(GuestPath.Combine(resolved.Path, name))))
            .Where(e => e.node is not null)
            .Select(e => new GuestDirectoryEntry(e.name, e.node!.Kind, (uint)e.node.Inode, e.node.Mode, e.node.Uid, e.node.Gid, e.node.Size))
            .ToList();
        return Task.FromResult(entries);
    }

    public Task<IReadOnlyList<GuestChange>> PlanAsync(GuestEditBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            IReadOnlyList<GuestChange> changes = [.. new ApplianceBatchPlanner(_view).Plan(batch).Select(s => s.Change)];
            return Task.FromResult(changes);
        }
        finally
        {
            // A dry run leaves the guest as it was: forget what the plan pretended to do.
            _view.Clear();
        }
    }

    public Task<IReadOnlyList<GuestChange>> ApplyAsync(GuestEditBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!IsWritable)
        {
            throw new InvalidOperationException("the guest filesystem was opened read-only");
        }

        using var span = AgentTrace.Start("appliance.apply");
        IReadOnlyList<ApplianceStep> steps;
        try
        {
            steps = new ApplianceBatchPlanner(_view).Plan(batch);
        }
        catch
        {
            _view.Clear();
            throw;
        }

        var written = 0;
        try
        {
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (step.Apply is { } apply)
                {
                    apply(_session);
                    written++;
                }
            }
        }
        catch (ApplianceException ex) when (written > 0)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"{ex.Message} (after {written} of the batch's changes were written: the guest filesystem is partly edited)", ex);
        }
        finally
        {
            _view.Clear();
            _contents.Clear();
        }

        IReadOnlyList<GuestChange> changes = [.. steps.Select(s => s.Change)];
        return Task.FromResult(changes);
    }

    /// <summary>
    /// Grows the root to fill its container, which our own code already grew (image file, partition): for an LV
    /// first the PV (pvresize) and the LV (all the VG's free space), then the mounted filesystem — xfs_growfs,
    /// btrfs filesystem resize max, or resize2fs for an ext inside LVM.
    /// </summary>
    public Task<GuestGrowResult> GrowToFillAsync(GuestRootLocation root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!IsWritable)
        {
            throw new InvalidOperationException("the guest filesystem was opened read-only");
        }

        using var span = AgentTrace.Start("appliance.grow");
        if (Mounts.PhysicalVolume is { } pv && Mounts.LogicalVolume is { } lv)
        {
            _session.Pvresize(pv);
            try
            {
                _session.LvresizeFree(lv, 100);
            }
            catch (ApplianceException ex) when (ex.Error.Contains("matches existing size", StringComparison.Ordinal) || ex.Error.Contains("No free extents", StringComparison.OrdinalIgnoreCase))
            {
                // The volume group had no free extents: the LV already fills it.
            }
        }

        var before = _session.FileSystemSize("/");
        switch (Mounts.RootFileSystemType)
        {
            case "xfs":
                _session.XfsGrowfs("/");
                break;
            case "btrfs":
                _session.BtrfsResizeToMax("/");
                break;
            case "ext2" or "ext3" or "ext4":
                _session.Resize2fs(Mounts.RootDevice);
                break;
            default:
                throw ImprintException.Unsupported($"growing {Mounts.RootFileSystemType} ({root.Describe()}) is not supported");
        }

        var after = _session.FileSystemSize("/");
        return Task.FromResult(new GuestGrowResult(EngineName, before, after));
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_committed)
        {
            throw new InvalidOperationException("the guest filesystem was already committed");
        }

        _committed = true;
        if (!IsWritable)
        {
            return Task.CompletedTask;
        }

        using var span = AgentTrace.Start("appliance.commit");
        if (!_ownsSession)
        {
            _session.Sync();
            return Task.CompletedTask;
        }

        _session.UmountAll();
        _session.Shutdown();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // QEMU has exited once the handle is closed; only then does the writer's lock come back.
        if (_ownsSession)
        {
            _session.Dispose();
        }

        _lockHandover?.Dispose();
    }

    private Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = _view.Resolve(GuestPath.Normalize(path), followFinal: true);
        if (resolved is not { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.File })
        {
            return Task.FromResult<byte[]?>(null);
        }

        if (!_contents.TryGetValue(resolved.Path, out var bytes))
        {
            bytes = _session.ReadFile(resolved.Path);
            _contents[resolved.Path] = bytes;
        }

        return Task.FromResult(bytes);
    }
}
