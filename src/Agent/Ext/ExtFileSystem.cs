using System.Globalization;
using System.Text;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Ext;

/// <summary>
/// An ext2/3/4 filesystem inside a disk image, worked on through e2fsprogs addressing it as <c>IMAGE?offset=BYTES</c>:
/// no loop device, no mount, no root. Guest paths resolve symlinks inside the guest root only. Reads are batched into
/// few debugfs processes and cached until the image changes; edits (<see cref="GuestEditBatch"/>) are checked first and
/// then applied in ONE <c>debugfs -w</c> session. Reads share one kept-open read-only debugfs, closed before every
/// write, on <see cref="Dispose"/>, or after two idle seconds. Not thread-safe; assumes no other writer while an edit
/// runs.
/// </summary>
public sealed class ExtFileSystem : IDisposable
{
    private const int MaxRounds = 4096;

    private readonly GuestTree _tree;

    public ExtFileSystem(string imagePath, ByteRange range)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        if (!File.Exists(imagePath))
        {
            throw ImprintException.NotFound($"disk image '{imagePath}' does not exist");
        }

        ImagePath = imagePath;
        Range = range;
        _tree = GuestTree.Adopt(imagePath, range.Offset);
    }

    public string ImagePath { get; }

    /// <summary>True while a kept-open read-only debugfs serves this instance (closed after writes and when idle).</summary>
    internal bool HasOpenReadSession => _tree.HasOpenSession;

    public ByteRange Range { get; }

    /// <summary>How e2fsprogs address this filesystem: <c>IMAGE?offset=BYTES</c>.</summary>
    public string Target => $"{ImagePath}?offset={Range.Offset.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a regular file, following symlinks inside the guest.</summary>
    public async Task<byte[]> ReadFileAsync(string guestPath, CancellationToken cancellationToken = default)
    {
        var files = await ReadFilesAsync([guestPath], cancellationToken).ConfigureAwait(false);
        return files[guestPath] ?? throw ImprintException.NotFound($"guest file '{guestPath}' does not exist in {Describe()}");
    }

    /// <summary>Reads several regular files with one debugfs process for all contents; missing ones map to null.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]?>> ReadFilesAsync(IEnumerable<string> guestPaths, CancellationToken cancellationToken = default)
    {
        var paths = guestPaths.Distinct(StringComparer.Ordinal).ToList();
        using var scratch = new ScratchFiles();
        var resolved = await ResolveAllAsync(paths, followFinal: true, scratch, cancellationToken).ConfigureAwait(false);
        var commands = new List<string>();
        var dumpFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, resolution) in resolved)
        {
            if (resolution.Node is { Kind: GuestFileKind.Directory })
            {
                throw ImprintException.Conflict($"guest path '{path}' is a directory, not a file");
            }

            if (resolution.Node is { Kind: GuestFileKind.File } node)
            {
                var file = scratch.File($"file-{dumpFiles.Count}");
                dumpFiles[path] = file;
                commands.Add($"dump <{node.Inode}> {GuestPath.Quote(file)}");
            }
        }

        var replies = await _tree.ReadAsync(commands, cancellationToken).ConfigureAwait(false);
        var failed = replies.FirstOrDefault(r => r.Failed);
        if (failed is not null)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"debugfs cannot read a file in {Describe()} ('{failed.Command}'): {failed.Error}");
        }

        var result = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            result[path] = dumpFiles.TryGetValue(path, out var file)
                ? await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false)
                : null;
        }

        return result;
    }

    /// <summary>Reads a file as UTF-8 text; null when it does not exist.</summary>
    public async Task<string?> TryReadTextAsync(string guestPath, CancellationToken cancellationToken = default)
    {
        var files = await ReadFilesAsync([guestPath], cancellationToken).ConfigureAwait(false);
        return files[guestPath] is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <summary>Metadata of a guest path (following a final symlink or not); null when it does not exist.</summary>
    public async Task<GuestFileStat?> StatAsync(string guestPath, bool followSymlinks = true, CancellationToken cancellationToken = default)
    {
        var stats = await StatManyAsync([guestPath], followSymlinks, cancellationToken).ConfigureAwait(false);
        return stats[guestPath];
    }

    /// <summary>Metadata of many guest paths, resolved together in shared debugfs rounds; missing paths map to null.</summary>
    public async Task<IReadOnlyDictionary<string, GuestFileStat?>> StatManyAsync(IEnumerable<string> guestPaths, bool followSymlinks = true, CancellationToken cancellationToken = default)
    {
        var paths = guestPaths.Distinct(StringComparer.Ordinal).ToList();
        return await WithWorkDirectoryAsync(
            scratch => RunRoundsAsync(
                paths,
                (view, needs) =>
                {
                    var result = new Dictionary<string, GuestFileStat?>(StringComparer.Ordinal);
                    var done = true;
                    foreach (var path in paths)
                    {
                        if (StatIn(view, needs, path, followSymlinks, out var stat))
                        {
                            result[path] = stat;
                        }
                        else
                        {
                            done = false;
                        }
                    }

                    return (done, (IReadOnlyDictionary<string, GuestFileStat?>)result);
                },
                scratch,
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Entries of a guest directory (following symlinks), sorted by name, without '.' and '..'.</summary>
    public async Task<IReadOnlyList<GuestDirectoryEntry>> ListDirectoryAsync(string guestPath, CancellationToken cancellationToken = default)
    {
        return await WithWorkDirectoryAsync(
            scratch => RunRoundsAsync(
                [guestPath],
                (view, needs) =>
                {
                    var resolved = view.Resolve(guestPath, followFinal: true, needs);
                    if (resolved is null)
                    {
                        return (false, (IReadOnlyList<GuestDirectoryEntry>)[]);
                    }

                    if (resolved.Node is not { Kind: GuestFileKind.Directory } dir)
                    {
                        throw ImprintException.NotFound($"guest directory '{guestPath}' does not exist in {Describe()}");
                    }

                    var children = view.Children(resolved.Path, dir, needs);
                    return children is null
                        ? (false, [])
                        : (true, children.Select(c => new GuestDirectoryEntry(c.Name, c.Node.Kind, c.Node.Inode, c.Node.Mode, c.Node.Uid, c.Node.Gid, c.Node.Size)).ToList());
                },
                scratch,
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the path exists after following symlinks (like <c>test -e</c>).</summary>
    public async Task<bool> ExistsAsync(string guestPath, CancellationToken cancellationToken = default) =>
        await StatAsync(guestPath, followSymlinks: true, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// The canonical guest path (no symlinks, '.' or '..') that <paramref name="guestPath"/> leads to; the last component
    /// may be missing, the directories before it must exist.
    /// </summary>
    public async Task<string> ResolvePathAsync(string guestPath, CancellationToken cancellationToken = default)
    {
        return await WithWorkDirectoryAsync(
            scratch => RunRoundsAsync(
                [guestPath],
                (view, needs) =>
                {
                    var resolved = view.Resolve(guestPath, followFinal: true, needs);
                    if (resolved is null)
                    {
                        return (false, string.Empty);
                    }

                    if (resolved.Parent is null)
                    {
                        throw ImprintException.NotFound($"a directory on the way to guest path '{guestPath}' does not exist (stopped at '{resolved.Path}')");
                    }

                    return (true, resolved.Path);
                },
                scratch,
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Expands a guest glob (<c>*</c>, <c>?</c>, <c>[...]</c> per component, <c>**</c> for any depth). Hidden names match
    /// only a component starting with '.', as in sh. Matches keep the pattern's spelling and are sorted.
    /// </summary>
    public async Task<IReadOnlyList<string>> GlobAsync(string pattern, CancellationToken cancellationToken = default)
    {
        var literal = GuestPath.Components(pattern, allowDotDot: false).TakeWhile(c => !GuestGlob.HasWildcards(c));
        return await WithWorkDirectoryAsync(
            scratch => RunRoundsAsync(
                [GuestPath.Join(literal)],
                (view, needs) => view.Glob(pattern, needs) is { } matches ? (true, matches) : (false, (IReadOnlyList<string>)[]),
                scratch,
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Expands many globs together: directory listings needed by all of them are fetched in shared debugfs rounds, so
    /// sealing's hundred-odd patterns cost a few processes instead of one or more each.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GlobManyAsync(IEnumerable<string> patterns, CancellationToken cancellationToken = default)
    {
        var distinct = patterns.Distinct(StringComparer.Ordinal).ToList();
        var hints = distinct
            .Select(p => GuestPath.Join(GuestPath.Components(p, allowDotDot: false).TakeWhile(c => !GuestGlob.HasWildcards(c))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return await WithWorkDirectoryAsync(
            scratch => RunRoundsAsync(
                hints,
                (view, needs) =>
                {
                    var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                    var done = true;
                    foreach (var pattern in distinct)
                    {
                        if (view.Glob(pattern, needs) is { } matches)
                        {
                            result[pattern] = matches;
                        }
                        else
                        {
                            done = false;
                        }
                    }

                    return (done, (IReadOnlyDictionary<string, IReadOnlyList<string>>)result);
                },
                scratch,
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What <see cref="ApplyAsync"/> would change, without writing (a dry run). Throws when the batch cannot apply.</summary>
    public async Task<IReadOnlyList<GuestChange>> PlanAsync(GuestEditBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return await WithWorkDirectoryAsync(
            async scratch =>
            {
                _tree.Revalidate();
                var steps = await new ExtEditPlanner(_tree, ImagePath, Range.Offset, scratch).PlanAsync(batch, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<GuestChange>)steps.Select(s => s.Change).ToList();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the whole batch against the guest, then applies it in one <c>debugfs -w</c> session. Returns one change
    /// per affected path; a batch that changes nothing does not open the image for writing.
    /// </summary>
    public async Task<IReadOnlyList<GuestChange>> ApplyAsync(GuestEditBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return await WithWorkDirectoryAsync(
            async scratch =>
            {
                _tree.Revalidate();
                var planSpan = AgentTrace.Start("ext.plan");
                var steps = await new ExtEditPlanner(_tree, ImagePath, Range.Offset, scratch).PlanAsync(batch, cancellationToken).ConfigureAwait(false);
                planSpan.Dispose();
                var commands = new List<string>();
                var owners = new List<PlannedStep>();
                foreach (var step in steps)
                {
                    commands.AddRange(step.Commands);
                    owners.AddRange(step.Commands.Select(_ => step));
                }

                if (commands.Count > 0)
                {
                    _tree.Clear();
                    // One batch, made all-or-nothing across a killed pod by an undo file (ExtUndoJournal).
                    var replies = await ExtUndoJournal.RunAsync(
                        ImagePath,
                        Range.Offset,
                        "debugfs",
                        (undo, token) => DebugfsRun.RunAsync(ImagePath, Range.Offset, commands, writable: true, token, undo),
                        cancellationToken).ConfigureAwait(false);
                    _tree.Clear();
                    var failures = replies.Select((r, i) => (Reply: r, Step: owners[i])).Where(x => x.Reply.Failed).ToList();
                    if (failures.Count > 0)
                    {
                        var first = failures[0];
                        throw new ImprintException(
                            ExitCode.ToolFailed,
                            $"debugfs failed to apply {first.Step.Change.Operation} '{first.Step.Change.Path}' in {Describe()}: command '{first.Reply.Command}' said: {first.Reply.Error}" +
                            (failures.Count > 1 ? $" (and {failures.Count - 1} more failing commands)" : string.Empty) +
                            ". The filesystem may be partly edited; check it with e2fsck.");
                    }
                }

                return (IReadOnlyList<GuestChange>)steps.Select(s => s.Change).ToList();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the kept-open read-only debugfs now rather than after it idles out.</summary>
    public void Dispose() => _tree.Dispose();

    /// <summary>
    /// Hands this instance's cache and read session to the next <see cref="ExtFileSystem"/> opened on the same image
    /// and partition in this process (inspection → seal or customize), so the edit neither starts another debugfs nor
    /// lists the same directories again. This instance must not be used afterwards.
    /// </summary>
    public void HandOver() => _tree.Park();

    /// <summary>Block size, block count and features from <c>dumpe2fs -h</c>.</summary>
    public async Task<ExtSuperblockInfo> ReadSuperblockAsync(CancellationToken cancellationToken = default)
    {
        var result = await ToolRunner.RunAsync("dumpe2fs", ["-h", Target], acceptedExitStatuses: [1], cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        if (!fields.TryGetValue("Block size", out var blockSize) || !fields.TryGetValue("Block count", out var blockCount))
        {
            throw ImprintException.InvalidImage($"no ext superblock in {Describe()}: {result.StandardError.Trim()}");
        }

        return new ExtSuperblockInfo(
            int.Parse(blockSize, CultureInfo.InvariantCulture),
            long.Parse(blockCount, CultureInfo.InvariantCulture),
            long.Parse(fields.GetValueOrDefault("Free blocks", "0"), CultureInfo.InvariantCulture),
            fields.GetValueOrDefault("Filesystem features", string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
            fields.GetValueOrDefault("Filesystem state", string.Empty),
            fields.GetValueOrDefault("Filesystem UUID"));
    }

    /// <summary>Read-only consistency check (<c>e2fsck -fn</c>).</summary>
    public async Task<ExtCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        var result = await ToolRunner.RunAsync("e2fsck", ["-fn", Target], acceptedExitStatuses: [1, 2, 4, 8, 12], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus >= 8)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"e2fsck could not check {Describe()} (exit {result.ExitStatus}): {(result.StandardError + result.StandardOutput).Trim()}");
        }

        return new ExtCheckResult(result.ExitStatus == 0, result.ExitStatus, (result.StandardOutput + result.StandardError).Trim());
    }

    /// <summary>
    /// Replays the journal and fixes what e2fsck can fix (<c>e2fsck -fy</c>); returns its exit status (0, 1 or 2).
    /// Throws when errors remain (exit status 4 or more).
    /// </summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken = default)
    {
        _tree.Clear();
        var superblock = await ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        if (superblock.NeedsRecovery)
        {
            await ReplayJournalOnCopyAsync(superblock, cancellationToken).ConfigureAwait(false);
        }

        var result = await ToolRunner.RunAsync("e2fsck", ["-fy", Target], acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        _tree.Clear();
        if (result.ExitStatus >= 4)
        {
            throw ImprintException.InvalidImage(
                $"e2fsck -fy could not repair {Describe()} (exit {result.ExitStatus}): {Tail(result.StandardOutput + result.StandardError)}");
        }

        return result.ExitStatus;
    }

    /// <summary>A file's length, or a block device's size (a device node's file length is 0).</summary>
    private static long DiskLength(string path)
    {
        if (!BlockDevice.IsBlockDevice(path))
        {
            return new FileInfo(path).Length;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return BlockDevice.GetSize(handle);
    }

    /// <summary>
    /// Grows the filesystem to fill a partition of <paramref name="newPartitionLength"/> bytes starting at the same
    /// offset: <c>e2fsck -fy</c> (replays a journal), then resize2fs with an explicit block count. resize2fs would
    /// otherwise truncate the image file to the filesystem size without the offset (cutting the disk's tail and backup
    /// GPT); it only does that through an fd other than 0, so it runs with stdin closed, and the file length is checked.
    /// </summary>
    public async Task<ExtGrowResult> GrowAsync(long newPartitionLength, CancellationToken cancellationToken = default)
    {
        var imageLength = DiskLength(ImagePath);
        if (newPartitionLength <= 0 || Range.Offset + newPartitionLength > imageLength)
        {
            throw ImprintException.Conflict(
                $"cannot grow {Describe()} to {newPartitionLength} bytes: the partition would end at byte {Range.Offset + newPartitionLength}, past the image end {imageLength}");
        }

        var before = await ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        var newBlocks = newPartitionLength / before.BlockSize;
        if (newBlocks < before.BlockCount)
        {
            throw ImprintException.Conflict(
                $"refusing to shrink {Describe()}: it has {before.BlockCount} blocks of {before.BlockSize} bytes, the partition holds only {newBlocks}");
        }

        var fsck = await RepairAsync(cancellationToken).ConfigureAwait(false);
        before = await ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        if (newBlocks == before.BlockCount)
        {
            return new ExtGrowResult(before.BlockSize, before.BlockCount, before.BlockCount, fsck);
        }

        _tree.Clear();
        // A critical step: a kill mid-way is rolled back from the undo file by the next run (ExtUndoJournal).
        var result = await ExtUndoJournal.RunAsync(
            ImagePath,
            Range.Offset,
            "resize2fs",
            (undo, token) => ToolRunner.RunAsync(
                "sh",
                ["-c", "exec 0<&- ; exec \"$0\" \"$@\"", ToolRunner.Resolve("resize2fs"), .. (undo is null ? Array.Empty<string>() : ["-z", undo]), Target, newBlocks.ToString(CultureInfo.InvariantCulture)],
                acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(),
                cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        _tree.Clear();
        var lengthAfter = DiskLength(ImagePath);
        if (lengthAfter != imageLength)
        {
            throw ImprintException.InvalidImage(
                $"resize2fs changed the length of '{ImagePath}' from {imageLength} to {lengthAfter} bytes while growing the filesystem at offset {Range.Offset}; the disk's tail (backup GPT) may be damaged");
        }

        if (result.ExitStatus != 0)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"resize2fs failed to grow {Describe()} to {newBlocks} blocks (exit {result.ExitStatus}): {Tail(result.StandardError + result.StandardOutput)}");
        }

        var after = await ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        if (after.BlockCount != newBlocks)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"resize2fs left {Describe()} at {after.BlockCount} blocks instead of {newBlocks}");
        }

        return new ExtGrowResult(before.BlockSize, before.BlockCount, after.BlockCount, fsck);
    }

    /// <summary>
    /// e2fsprogs 1.47 cannot replay a journal at an offset: after the replay e2fsck (and debugfs' journal_run) reopen
    /// the filesystem by file name without the <c>?offset=</c> part and fail with "Bad magic number ... while trying to
    /// re-open", leaving needs_recovery set. So the filesystem is copied to a sparse file next to the image, repaired
    /// there at offset 0, and only the chunks that changed are written back.
    /// </summary>
    private async Task ReplayJournalOnCopyAsync(ExtSuperblockInfo superblock, CancellationToken cancellationToken)
    {
        const int chunk = 1 << 20;
        var length = Math.Min(superblock.SizeBytes, Range.Length);
        var copyPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ImagePath))!, $".{Path.GetFileName(ImagePath)}.imprint-journal-{Guid.NewGuid():N}");
        var buffer = new byte[chunk];
        var original = new byte[chunk];
        try
        {
            await using (var image = new FileStream(ImagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            await using (var copy = new FileStream(copyPath, FileMode.CreateNew, FileAccess.Write))
            {
                copy.SetLength(length);
                for (long done = 0; done < length; done += chunk)
                {
                    var size = (int)Math.Min(chunk, length - done);
                    image.Position = Range.Offset + done;
                    await image.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                    if (buffer.AsSpan(0, size).ContainsAnyExcept((byte)0))
                    {
                        copy.Position = done;
                        await copy.WriteAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var fsck = await ToolRunner.RunAsync("e2fsck", ["-fy", copyPath], acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (fsck.ExitStatus >= 4)
            {
                throw ImprintException.InvalidImage(
                    $"e2fsck -fy could not replay the journal of {Describe()} (exit {fsck.ExitStatus}): {Tail(fsck.StandardOutput + fsck.StandardError)}");
            }

            await using (var image = new FileStream(ImagePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            await using (var copy = new FileStream(copyPath, FileMode.Open, FileAccess.Read))
            {
                // The first chunk (the superblock, whose needs_recovery flag is cleared) goes last: a run killed while
                // writing back leaves the flag set, and the next run replays the journal again (replay is idempotent).
                var chunks = (length + chunk - 1) / chunk;
                foreach (var done in Enumerable.Range(1, (int)Math.Max(0, chunks - 1)).Select(i => (long)i * chunk).Append(0L))
                {
                    var size = (int)Math.Min(chunk, length - done);
                    copy.Position = done;
                    await copy.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                    image.Position = Range.Offset + done;
                    await image.ReadExactlyAsync(original.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                    if (!buffer.AsSpan(0, size).SequenceEqual(original.AsSpan(0, size)))
                    {
                        image.Position = Range.Offset + done;
                        await image.WriteAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                    }
                }

                await image.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(copyPath);
        }
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 800 ? trimmed : "…" + trimmed[^800..];
    }

    private static async Task<T> WithWorkDirectoryAsync<T>(Func<ScratchFiles, Task<T>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var scratch = new ScratchFiles();
        return await action(scratch).ConfigureAwait(false);
    }

    private string Describe() => $"the ext filesystem at offset {Range.Offset} of '{ImagePath}'";

    private async Task<IReadOnlyList<(string Path, GuestResolution Resolution)>> ResolveAllAsync(
        IReadOnlyList<string> paths, bool followFinal, ScratchFiles scratch, CancellationToken cancellationToken)
    {
        return await RunRoundsAsync(
            paths,
            (view, needs) =>
            {
                var results = new List<(string, GuestResolution)>();
                foreach (var path in paths)
                {
                    if (view.Resolve(path, followFinal, needs) is { } resolved)
                    {
                        results.Add((path, resolved));
                    }
                }

                return (!needs.Any, (IReadOnlyList<(string, GuestResolution)>)results);
            },
            scratch,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a synchronous computation over the cached guest until it has all it needs; each missing round costs one
    /// debugfs process. The first round also lists every directory on the way to <paramref name="hintPaths"/>.
    /// </summary>
    /// <summary>Stats one path in the current view; false when more of the tree must be fetched first.</summary>
    private static bool StatIn(GuestView view, GuestTreeNeeds needs, string guestPath, bool followSymlinks, out GuestFileStat? stat)
    {
        stat = null;
        var resolved = view.Resolve(guestPath, followSymlinks, needs);
        if (resolved is null)
        {
            return false;
        }

        if (resolved.Node is not { } node)
        {
            return true;
        }

        string? target = null;
        if (node.Kind == GuestFileKind.Symlink)
        {
            target = view.LinkTarget(node, needs, out var known);
            if (!known)
            {
                return false;
            }
        }

        stat = new GuestFileStat(resolved.Path, node.Kind, node.Mode, node.Uid, node.Gid, node.Size, target, node.Inode);
        return true;
    }

    private async Task<T> RunRoundsAsync<T>(
        IReadOnlyList<string> hintPaths, Func<GuestView, GuestTreeNeeds, (bool Done, T Value)> compute, ScratchFiles scratch, CancellationToken cancellationToken)
    {
        _tree.Revalidate();
        var view = new GuestView(_tree);
        for (var round = 0; round < MaxRounds; round++)
        {
            var needs = new GuestTreeNeeds();
            var (done, value) = compute(view, needs);
            if (done && !needs.Any)
            {
                return value;
            }

            if (round == 0)
            {
                foreach (var path in hintPaths)
                {
                    var components = GuestPath.Components(path, allowDotDot: true);
                    for (var i = 1; i <= components.Length && !components[i - 1].Equals("..", StringComparison.Ordinal); i++)
                    {
                        needs.PrefetchPaths.Add(GuestPath.Join(components.Take(i)));
                    }
                }
            }

            await _tree.FetchAsync(needs, withFeatures: false, scratch, cancellationToken).ConfigureAwait(false);
        }

        throw ImprintException.InvalidImage($"resolving guest paths in {Describe()} does not converge; the filesystem may be corrupt");
    }
}
