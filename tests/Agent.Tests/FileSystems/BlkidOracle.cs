using System.Text;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

/// <summary><c>blkid -p</c> on a byte range of an image: the oracle our probe must agree with.</summary>
public static class BlkidOracle
{
    /// <summary>The tags <c>blkid -p -O offset -S size -o export</c> prints (empty when it finds nothing).</summary>
    public static IReadOnlyDictionary<string, string> Probe(string image, long offset, long size)
    {
        var result = Sh.RunResult("blkid", ["-p", "-O", $"{offset}", "-S", $"{size}", "-o", "export", image], accept: [0, 2]);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            tags[line[..eq]] = Unescape(line[(eq + 1)..]);
        }

        return tags;
    }

    /// <summary>Fails unless TYPE, UUID, LABEL, VERSION and BLOCK_SIZE (where blkid prints one) match ours exactly.</summary>
    public static IReadOnlyDictionary<string, string> AssertAgrees(string image, long offset, long size, DetectedFileSystem? found)
    {
        var tags = Probe(image, offset, size);
        Assert.Equal(tags.GetValueOrDefault("TYPE"), found?.TypeName);
        Assert.Equal(tags.GetValueOrDefault("UUID"), found?.Uuid);
        Assert.Equal(tags.GetValueOrDefault("LABEL"), found?.Label);
        Assert.Equal(tags.GetValueOrDefault("VERSION"), found?.Version);
        if (tags.TryGetValue("BLOCK_SIZE", out var blockSize))
        {
            Assert.Equal(blockSize, found?.BlockSize?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return tags;
    }

    // blkid -o export escapes like cat -v under LC_ALL=C: "M-" sets the high bit, "^X" is a control character, and
    // shell-special characters get a backslash. Undo that, then decode the bytes as UTF-8.
    private static string Unescape(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var high = 0;
            if (value[i] == 'M' && i + 2 < value.Length && value[i + 1] == '-')
            {
                high = 0x80;
                i += 2;
            }

            if (value[i] == '^' && i + 1 < value.Length)
            {
                bytes.Add((byte)(high | (value[++i] ^ 0x40)));
            }
            else if (value[i] == '\\' && i + 1 < value.Length)
            {
                bytes.Add((byte)(high | value[++i]));
            }
            else
            {
                bytes.Add((byte)(high | value[i]));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
