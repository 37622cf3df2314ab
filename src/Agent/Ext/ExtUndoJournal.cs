using System.Globalization;
using System.Text;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Ext;

/// <summary>
/// Makes a writing e2fsprogs step (resize2fs, a <c>debugfs -w</c> batch) all-or-nothing across a killed pod. Before the
/// step, an intent record <c>DISK.imprint-journal</c> is written (fsync'd; what runs, at which offset, on which file,
/// the filesystem's primary superblock) and the tool runs with <c>-z DISK.imprint-undo</c>, so it copies every block's
/// old contents to the undo file before overwriting it. After the step the record is removed, then the undo file.
/// The next writing command on the disk finds a record left by a killed run and rolls the step back with
/// <c>e2undo</c>, then runs it again from a clean start.
/// <para>
/// e2fsprogs 1.47 records the primary superblock at the wrong place when the filesystem sits at an offset
/// (undo_write_byte adds the offset twice), so e2undo cannot restore it; the record keeps its own copy of those 1,024
/// bytes and puts them back after e2undo. Block devices keep their record in the temp folder: a node-local path
/// there survives SIGTERM handling but not a new pod, so an in-place resize of a block device killed by SIGKILL is
/// not recoverable (a clone onto one restarts from the golden anyway).
/// </para>
/// <para>
/// 1 KiB-block filesystems run without an undo file (see <see cref="RunAsync{T}"/>); their record says so, and the next
/// run repairs the filesystem with <c>e2fsck -fy</c> instead of rolling it back, then runs the step again.
/// </para>
/// </summary>
public static class ExtUndoJournal
{
    private const string Magic = "imprint-journal 1";
    private const int SuperblockOffset = 1024;
    private const int SuperblockSize = 1024;
    private const long MinimumUndoBlockSize = 2048;

    /// <summary>Where the intent record of <paramref name="imagePath"/> lives.</summary>
    public static string JournalPath(string imagePath) => Beside(imagePath, ".imprint-journal");

    /// <summary>Where the undo file of the running step lives.</summary>
    public static string UndoPath(string imagePath) => Beside(imagePath, ".imprint-undo");

    /// <summary>
    /// Runs <paramref name="write"/> (given the undo file to pass with <c>-z</c>) as a critical step: a record left by
    /// a killed run is rolled back first; SIGTERM lets the step finish (bounded by <see cref="CriticalStep.Grace"/>,
    /// after which the tool is killed and the step rolled back), and the command then stops.
    /// </summary>
    public static async Task<T> RunAsync<T>(string imagePath, long offset, string step, Func<string?, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await RecoverAsync(imagePath, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var undo = UndoPath(imagePath);
        File.Delete(undo);
        var superblock = ReadSuperblock(imagePath, offset);

        // e2fsprogs 1.47's undo manager corrupts 1 KiB-block filesystems at an offset (resize2fs -z leaves "Resize inode
        // not valid"), so these run without an undo file and a killed step is repaired (e2fsck -fy) instead.
        var hasUndo = BlockSize(superblock) >= MinimumUndoBlockSize;
        var lostAndFound = hasUndo ? [] : (await ListLostAndFoundAsync(imagePath, offset, cancellationToken).ConfigureAwait(false)).Select(e => e.Name).ToArray();
        var record = new Record(step, offset, new FileInfo(imagePath).Length, Identity(imagePath), superblock, hasUndo, lostAndFound);
        Write(JournalPath(imagePath), record);
        T result;
        try
        {
            result = await CriticalStep.RunAsync(token => write(hasUndo ? undo : null, token), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ImprintException)
        {
            // The tool was stopped or failed part-way: put the filesystem back as it was before the step.
            await RollBackAsync(imagePath, record, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // The step is complete: drop the record first, so a kill between the two deletions leaves only a stale undo file.
        File.Delete(JournalPath(imagePath));
        File.Delete(undo);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    /// <summary>
    /// Rolls back a step a killed run left unfinished on <paramref name="imagePath"/> (or, without an undo file, repairs
    /// the filesystem with <c>e2fsck -fy</c>), if any; true when it did. A record for another file (the image was
    /// replaced since) is dropped without touching the image.
    /// </summary>
    public static async Task<bool> RecoverAsync(string imagePath, CancellationToken cancellationToken)
    {
        var journal = JournalPath(imagePath);
        if (!File.Exists(journal))
        {
            // A run killed between removing the record and the undo file: the step had finished.
            File.Delete(UndoPath(imagePath));
            return false;
        }

        var record = Read(journal);
        if (record is null || record.Identity != Identity(imagePath))
        {
            Discard(imagePath);
            return false;
        }

        await RollBackAsync(imagePath, record, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes the record and undo file of an image that is being thrown away (a stale TARGET.partial).</summary>
    public static void Discard(string imagePath)
    {
        File.Delete(JournalPath(imagePath));
        File.Delete(UndoPath(imagePath));
    }

    private static async Task RollBackAsync(string imagePath, Record record, CancellationToken cancellationToken)
    {
        // resize2fs may truncate an image addressed with ?offset= to the filesystem's own size; grow it back first.
        if (!BlockDevice.IsBlockDevice(imagePath) && new FileInfo(imagePath).Length < record.ImageLength)
        {
            using var grow = new FileStream(imagePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            grow.SetLength(record.ImageLength);
        }

        if (!record.HasUndo)
        {
            await RepairAsync(imagePath, record, cancellationToken).ConfigureAwait(false);
            Discard(imagePath);
            return;
        }

        var undo = UndoPath(imagePath);
        if (HasUndoHeader(undo))
        {
            // -f: the superblock copy inside the undo file may predate the tool's last superblock write, and the
            // record's identity check already proved the undo file belongs to this image.
            var offset = record.Offset.ToString(CultureInfo.InvariantCulture);
            var result = await ToolRunner.RunAsync("e2undo", ["-f", "-o", offset, undo, imagePath], acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.ExitStatus != 0)
            {
                throw new ImprintException(
                    ExitCode.ToolFailed,
                    $"an interrupted {record.Step} left the ext filesystem at offset {offset} of '{imagePath}' half-written, and e2undo could not roll it back (exit {result.ExitStatus}): {(result.StandardError + result.StandardOutput).Trim()}. '{JournalPath(imagePath)}' and '{undo}' are kept for a manual e2undo.");
            }
        }

        using (var image = new FileStream(imagePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            image.Position = record.Offset + SuperblockOffset;
            image.Write(record.Superblock);
            image.Flush(flushToDisk: true);
        }

        Discard(imagePath);
    }

    /// <summary>
    /// A step without an undo file cannot be rolled back; e2fsck -fy makes the filesystem consistent again (the step
    /// is then run again from the start: resize2fs to the asked size, the idempotent debugfs batches), and a second,
    /// read-only pass must find it clean. e2fsck's size check ignores the offset, which is harmless here: the image was
    /// grown back to its recorded length above.
    /// </summary>
    private static async Task RepairAsync(string imagePath, Record record, CancellationToken cancellationToken)
    {
        var target = $"{imagePath}?offset={record.Offset.ToString(CultureInfo.InvariantCulture)}";
        var repair = await ToolRunner.RunAsync("e2fsck", ["-fy", target], acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var check = repair.ExitStatus >= 4 ? repair : await RemoveOrphansAndCheckAsync(imagePath, target, record, cancellationToken).ConfigureAwait(false);
        if (repair.ExitStatus >= 4 || check.ExitStatus != 0)
        {
            // The record stays, so every later run stops here too instead of working on a damaged filesystem.
            throw ImprintException.InvalidImage(
                $"an interrupted {record.Step} left the ext filesystem at offset {record.Offset} of '{imagePath}' damaged, and e2fsck -fy could not repair it (exit {repair.ExitStatus}, then e2fsck -fn exit {check.ExitStatus}): {Tail(check.StandardOutput + check.StandardError)}. The disk must be rebuilt from its golden; '{JournalPath(imagePath)}' is kept.");
        }
    }

    private static async Task<ToolResult> RemoveOrphansAndCheckAsync(string imagePath, string target, Record record, CancellationToken cancellationToken)
    {
        // A killed "rm"/"rmdir" leaves an unlinked but allocated inode (a seal deleting a host key or a log), a killed
        // "write" a new one not linked yet; e2fsck connects them to /lost+found. They belong to the step, which the
        // retry runs again, so the ones that were not there before the step are deleted rather than kept in the guest.
        var orphans = (await ListLostAndFoundAsync(imagePath, record.Offset, cancellationToken).ConfigureAwait(false))
            .Where(e => !record.LostAndFound.Contains(e.Name, StringComparer.Ordinal))
            .Select(e => $"{(e.IsDirectory ? "rmdir" : "rm")} {GuestPath.Quote("/lost+found/" + e.Name)}")
            .ToList();
        if (orphans.Count > 0)
        {
            var replies = await DebugfsRun.RunAsync(imagePath, record.Offset, orphans, writable: true, cancellationToken).ConfigureAwait(false);
            var failed = replies.Where(r => r.Failed).Select(r => $"{r.Command}: {r.Error.Trim()}").ToList();
            if (failed.Count > 0)
            {
                throw ImprintException.InvalidImage(
                    $"an interrupted {record.Step} left orphaned files in /lost+found of the ext filesystem at offset {record.Offset} of '{imagePath}' that could not be removed ({string.Join("; ", failed)}). The disk must be rebuilt from its golden; '{JournalPath(imagePath)}' is kept.");
            }
        }

        return await ToolRunner.RunAsync("e2fsck", ["-fn", target], acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries of /lost+found (none when it does not exist), from <c>debugfs ls -p</c>: /inode/mode/uid/gid/name/size/.</summary>
    private static async Task<IReadOnlyList<(string Name, bool IsDirectory)>> ListLostAndFoundAsync(string imagePath, long offset, CancellationToken cancellationToken)
    {
        var replies = await DebugfsRun.RunAsync(imagePath, offset, ["ls -p /lost+found"], writable: false, cancellationToken).ConfigureAwait(false);
        return replies[0].Failed
            ? []
            : replies[0].Output.Split('\n')
                .Select(l => l.Split('/'))
                .Where(f => f.Length > 6 && f[1] != "0" && f[5] is not ("." or ".."))
                .Select(f => (f[5], f[2].StartsWith("40", StringComparison.Ordinal)))
                .ToList();
    }

    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 800 ? text : "…" + text[^800..];
    }

    /// <summary>True when the undo file holds at least its header: the tool writes it before its first block.</summary>
    private static bool HasUndoHeader(string undo)
    {
        if (!File.Exists(undo))
        {
            return false;
        }

        using var stream = File.OpenRead(undo);
        var magic = new byte[8];
        return stream.Read(magic) == magic.Length && Encoding.ASCII.GetString(magic) == "E2UNDO02";
    }

    /// <summary>s_log_block_size (byte 24 of the superblock): the block size is 1024 shifted left by it.</summary>
    private static long BlockSize(byte[] superblock) => 1024L << (int)Math.Min(16u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(24)));

    private static byte[] ReadSuperblock(string imagePath, long offset)
    {
        using var image = new FileStream(imagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        image.Position = offset + SuperblockOffset;
        var superblock = new byte[SuperblockSize];
        image.ReadExactly(superblock);
        return superblock;
    }

    private static string Identity(string imagePath) =>
        FileIdentity.Of(imagePath) is { } id ? $"{id.DevMajor}:{id.DevMinor}:{id.Inode}" : "unknown";

    private static string Beside(string imagePath, string suffix)
    {
        var full = Path.GetFullPath(imagePath);
        return BlockDevice.IsBlockDevice(full)
            ? Path.Combine(Path.GetTempPath(), "imprint-" + full.Replace('/', '_') + suffix)
            : full + suffix;
    }

    private static void Write(string path, Record record)
    {
        var text = new StringBuilder()
            .Append(Magic).Append('\n')
            .Append("step=").Append(record.Step).Append('\n')
            .Append("offset=").Append(record.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("image-length=").Append(record.ImageLength.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("identity=").Append(record.Identity).Append('\n')
            .Append("superblock=").Append(Convert.ToBase64String(record.Superblock)).Append('\n')
            .Append("undo=").Append(record.HasUndo ? "file" : "none").Append('\n')
            .Append("lost-found=").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\0', record.LostAndFound)))).Append('\n')
            .ToString();

        // Written aside, flushed, then renamed: the record is either absent or whole.
        var temporary = path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static Record? Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Magic)
        {
            return null;
        }

        var fields = lines.Skip(1).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        try
        {
            var superblock = Convert.FromBase64String(fields["superblock"]);
            return superblock.Length != SuperblockSize
                ? null
                : new Record(
                    fields["step"],
                    long.Parse(fields["offset"], CultureInfo.InvariantCulture),
                    long.Parse(fields["image-length"], CultureInfo.InvariantCulture),
                    fields["identity"],
                    superblock,
                    !fields.TryGetValue("undo", out var undo) || undo != "none",
                    fields.TryGetValue("lost-found", out var names) && names.Length > 0 ? Encoding.UTF8.GetString(Convert.FromBase64String(names)).Split('\0') : []);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <param name="HasUndo">False for a step that ran without an undo file (1 KiB blocks): it is repaired, not rolled back.</param>
    /// <param name="LostAndFound">Without an undo file: the names in /lost+found before the step (the others the repair adds are the step's).</param>
    private sealed record Record(string Step, long Offset, long ImageLength, string Identity, byte[] Superblock, bool HasUndo, string[] LostAndFound);
}
