using System.Globalization;
using System.Text.RegularExpressions;

namespace Imprint.Agent.Tests.Support;

/// <summary>
/// What "grown" means, read by the real tools rather than from file lengths or our own result: the partition's end
/// as <c>sfdisk --json</c> reads it and the filesystem's size as <c>dumpe2fs -h</c> reads it.
/// </summary>
public static partial class GrowthOracle
{
    private const long MiB = TestDisks.MiB;

    /// <summary>Bytes the ext filesystem at <paramref name="offset"/> holds: dumpe2fs' block count × block size.</summary>
    public static long FileSystemBytes(string image, long offset)
    {
        var header = Sh.Run("dumpe2fs", "-h", $"{image}?offset={offset}");
        return Field(header, BlockCount()) * Field(header, BlockSize());
    }

    /// <summary>
    /// Asserts partition <paramref name="number"/> now reaches the end of the disk (less the backup GPT's 33 sectors on
    /// GPT, within the 1 MiB alignment) and its filesystem fills it (within one 1 MiB group tail resize2fs may leave).
    /// Returns the filesystem size for further checks.
    /// </summary>
    public static long AssertFillsDisk(string image, int number, bool gpt)
    {
        var diskBytes = new FileInfo(image).Length;
        var (offset, length) = TestDisks.PartitionRange(image, number);
        var end = offset + length;
        var usableEnd = gpt ? diskBytes - (33 * 512) : diskBytes;
        Assert.True(end <= usableEnd && end > usableEnd - MiB, $"partition {number} ends at byte {end}; the disk's usable space ends at {usableEnd} (sfdisk --json)");
        var fsBytes = FileSystemBytes(image, offset);
        Assert.True(fsBytes <= length && fsBytes > length - MiB, $"the filesystem holds {fsBytes} bytes of its {length}-byte partition (dumpe2fs -h)");
        return fsBytes;
    }

    private static long Field(string header, Regex pattern) =>
        long.Parse(pattern.Match(header) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"dumpe2fs printed no {pattern}:\n{header}"), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Block count:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex BlockCount();

    [GeneratedRegex(@"^Block size:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex BlockSize();
}
