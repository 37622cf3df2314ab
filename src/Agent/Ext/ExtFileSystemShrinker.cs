using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Ext;

/// <summary>
/// Shrinks an ext filesystem at an offset with e2fsprogs: <c>e2fsck -fy</c> (resize2fs refuses an unchecked
/// filesystem), <c>resize2fs -P</c> for the minimum (the size <c>-M</c> would shrink to), then resize2fs with an
/// explicit block count: the minimum plus a margin. Two resize2fs facts shape it (pinned by tests): given
/// <c>IMAGE?offset=N</c> it truncates a regular file to the filesystem's size <em>without</em> the offset, cutting off
/// the filesystem's own tail and everything after it — unless its image fd is 0, so it runs with stdin closed and the
/// file length is checked afterwards; and the shrink is a critical step recorded in the <see cref="ExtUndoJournal"/>.
/// </summary>
public static partial class ExtFileSystemShrinker
{
    /// <summary>resize2fs -P's estimate of the smallest block count, without changing anything.</summary>
    public static async Task<long> MinimumBlocksAsync(ExtFileSystem ext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ext);
        var result = await ToolRunner.RunAsync("resize2fs", ["-P", ext.Target], acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var match = MinimumLine().Match(result.StandardOutput);
        if (result.ExitStatus != 0 || !match.Success)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"resize2fs -P could not compute the minimum size of the ext filesystem at offset {ext.Range.Offset} of '{ext.ImagePath}' (exit {result.ExitStatus}): {(result.StandardError + result.StandardOutput).Trim()}");
        }

        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Repairs, then shrinks to <c>minimum + marginFor(minimum bytes)</c> (never grows). The filesystem's range is not
    /// changed: the caller shrinks the partition afterwards.
    /// </summary>
    public static async Task<ExtShrinkResult> ShrinkAsync(ExtFileSystem ext, Func<long, long> marginFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ext);
        ArgumentNullException.ThrowIfNull(marginFor);
        await ext.RepairAsync(cancellationToken).ConfigureAwait(false);
        var before = await ext.ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        var minimum = await MinimumBlocksAsync(ext, cancellationToken).ConfigureAwait(false);
        var target = Math.Min(before.BlockCount, minimum + (marginFor(minimum * before.BlockSize) / before.BlockSize));
        if (target == before.BlockCount)
        {
            return new ExtShrinkResult(before.BlockSize, before.BlockCount, minimum, before.BlockCount);
        }

        var imageLength = new FileInfo(ext.ImagePath).Length;
        var result = await ExtUndoJournal.RunAsync(
            ext.ImagePath,
            ext.Range.Offset,
            "resize2fs",
            (undo, token) => ToolRunner.RunAsync(
                "sh",
                ["-c", "exec 0<&- ; exec \"$0\" \"$@\"", ToolRunner.Resolve("resize2fs"), .. (undo is null ? Array.Empty<string>() : ["-z", undo]), ext.Target, target.ToString(CultureInfo.InvariantCulture)],
                acceptedExitStatuses: Enumerable.Range(1, 255).ToArray(),
                cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        var lengthAfter = new FileInfo(ext.ImagePath).Length;
        if (lengthAfter != imageLength)
        {
            throw ImprintException.InvalidImage(
                $"resize2fs changed the length of '{ext.ImagePath}' from {imageLength} to {lengthAfter} bytes while shrinking the filesystem at offset {ext.Range.Offset}; the disk's tail may be damaged");
        }

        if (result.ExitStatus != 0)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"resize2fs failed to shrink the ext filesystem at offset {ext.Range.Offset} of '{ext.ImagePath}' to {target} blocks (exit {result.ExitStatus}): {(result.StandardError + result.StandardOutput).Trim()}");
        }

        var after = await ext.ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        if (after.BlockCount != target)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"resize2fs left the ext filesystem at offset {ext.Range.Offset} of '{ext.ImagePath}' at {after.BlockCount} blocks instead of {target}");
        }

        return new ExtShrinkResult(before.BlockSize, before.BlockCount, minimum, after.BlockCount);
    }

    [GeneratedRegex(@"Estimated minimum size of the filesystem:\s*(\d+)")]
    private static partial Regex MinimumLine();
}
