namespace Imprint.Agent.Guest;

/// <summary>
/// One guest filesystem opened by an engine (e2fsprogs at an offset, or a libguestfs appliance), read and edited with
/// the same calls whatever the engine, so every seal operation and customize edit runs unchanged on both.
/// <para>
/// <b>Paths.</b> Every path is an absolute guest path: '/'-separated, relative to this filesystem's root (the guest's
/// <c>/</c>; for a btrfs root subvolume, the subvolume's root), no '.', '..' or doubled slashes needed — the batch
/// normalises edit paths with <see cref="GuestPath.Normalize"/> and rejects '..', newline and NUL. Names are bytes
/// taken as UTF-8; case-sensitive.
/// </para>
/// <para>
/// <b>Symlinks.</b> Symlinks are followed inside the guest only: an absolute target is resolved against the guest
/// root, a relative one against the link's directory, and '..' never climbs above the guest root (it stays at '/',
/// as chroot does). A host path is never touched through a guest symlink. Directories on the way to a path are always
/// followed; whether the final component is followed is stated per call. A symlink loop (more than 40 links) or
/// a directory missing on the way makes a lookup answer "missing", not an error.
/// </para>
/// <para>
/// <b>Reads</b> (<see cref="IGuestReader"/> plus <see cref="StatFollowingAsync"/> and
/// <see cref="ListDirectoryAsync"/>) describe the filesystem as it was when opened or as the last
/// <see cref="ApplyAsync"/> left it; an engine may cache reads between writes but must drop its caches on Apply.
/// </para>
/// <para>
/// <b>Edits</b> are queued in a <see cref="GuestEditBatch"/> (whose members document each operation's semantics:
/// ownership and mode defaults, what counts as unchanged) and checked as a whole against the guest before the first
/// write: a batch that cannot apply (a file where a directory is needed, chmod of a missing path, …) throws an
/// <see cref="Errors.ImprintException"/> and writes nothing. Operations apply in the order added; a later operation
/// sees the effect of earlier ones (MkdirP then WriteFile inside it works; two writes of one path: the last wins,
/// each reported).
/// </para>
/// <para>
/// <b>Lifecycle.</b> Open (through <see cref="GuestFileSystemOpener"/>), read, <see cref="PlanAsync"/> and/or
/// <see cref="ApplyAsync"/> any number of batches, then <see cref="CommitAsync"/> once before the command reports
/// success, then <see cref="IDisposable.Dispose"/>. Dispose without Commit releases everything and must not hang,
/// but what applied batches wrote may or may not have reached the disk. Instances are not thread-safe and assume no
/// other writer of the disk while open (the caller holds the image lock).
/// </para>
/// </summary>
public interface IGuestFileSystem : IGuestReader, IDisposable
{
    /// <summary>Which engine serves this filesystem: <see cref="GuestEngineName.E2fsprogs"/> or <see cref="GuestEngineName.Libguestfs"/>; reported in command results.</summary>
    string EngineName { get; }

    /// <summary>False when opened read-only (inspect, dry runs): <see cref="ApplyAsync"/> then throws and <see cref="PlanAsync"/> still works.</summary>
    bool IsWritable { get; }

    /// <summary>Metadata of a path with a final symlink followed (like <c>stat</c>, where <see cref="IGuestReader.StatAsync"/> is <c>lstat</c>); null when it or the link's target does not exist. <see cref="GuestFileStat.Path"/> is then the canonical path reached.</summary>
    Task<GuestFileStat?> StatFollowingAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Entries of a directory (a final symlink followed), sorted by name (ordinal), without '.' and '..'; throws
    /// <see cref="Errors.ImprintException"/> (not found, exit 3) when the path is missing or not a directory.
    /// Entries' <see cref="GuestDirectoryEntry.Inode"/> may be 0 when the engine does not know it.
    /// </summary>
    Task<IReadOnlyList<GuestDirectoryEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// A hint like <see cref="IGuestReader.PrefetchAsync"/>: expands these globs ahead (sealing has a hundred-odd), so
    /// the <see cref="IGuestReader.GlobAsync"/> calls that follow are answered from memory. Engines may ignore it.
    /// </summary>
    Task PrefetchGlobsAsync(IEnumerable<string> patterns, CancellationToken cancellationToken);

    /// <summary>
    /// What <see cref="ApplyAsync"/> would do with <paramref name="batch"/>, computed against the current guest without
    /// writing (a dry run). Same list, same order, same actions as ApplyAsync would return: see ApplyAsync.
    /// Throws when the batch cannot apply.
    /// </summary>
    Task<IReadOnlyList<GuestChange>> PlanAsync(GuestEditBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Checks the whole batch (as <see cref="PlanAsync"/>), then applies it. Returns the changes in batch order; what
    /// each operation reports (action, canonical path, Detail) is documented on its <see cref="GuestEditBatch"/>
    /// method, and <see cref="GuestChange.Operation"/> is its kind. <see cref="GuestChangeAction.Unchanged"/> and
    /// <see cref="GuestChangeAction.Missing"/> count as no change (<see cref="GuestChange.IsChange"/>). A batch that
    /// changes nothing writes nothing. On an error after the first write the filesystem may be partly edited; the
    /// exception (exit 7) says so. Afterwards reads see the new state.
    /// </summary>
    Task<IReadOnlyList<GuestChange>> ApplyAsync(GuestEditBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Makes everything applied durable on the disk image and reports a failure to do so (e2fsprogs: nothing left to
    /// do, each batch is closed when applied; libguestfs: sync, unmount and shut the appliance down, checking each
    /// result). Call once, after the last <see cref="ApplyAsync"/>; reads and edits after it are not allowed.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
