using System.Globalization;

namespace Imprint.Operator.Controllers.Revisions;

/// <summary>
/// Reads a published checksum file — GNU <c>sha256sum</c>/<c>sha512sum</c> lines (<c>HEX  name</c>, <c>HEX *name</c>) or
/// BSD tags (<c>SHA256 (name) = HEX</c>) — and finds the line for one file, as <c>sha256:hex</c> or <c>sha512:hex</c>
/// (the form spec.source.http.checksum and the agent's <c>--checksum</c> take). Lines for other files may be in any
/// shape; a <see cref="FormatException"/> says what is wrong with the file's own line, or that it has none.
/// </summary>
public static class ChecksumFile
{
    public static string Find(string content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        string? found = null;
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#') || Parse(line) is not { } entry || !SameFile(entry.Name, fileName))
            {
                continue;
            }

            var checksum = Checksum(entry.Algorithm, entry.Hex, line);
            if (found is not null && found != checksum)
            {
                throw new FormatException($"the checksum file lists {fileName} twice with different checksums");
            }

            found = checksum;
        }

        return found ?? throw new FormatException($"the checksum file has no line for {fileName}");
    }

    /// <summary>The last path segment of a URL (what a checksum file names), without its query.</summary>
    public static string FileNameOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Uri.UnescapeDataString(url.AbsolutePath[(url.AbsolutePath.LastIndexOf('/') + 1)..]);
    }

    private static (string? Algorithm, string Hex, string Name)? Parse(string line)
    {
        // BSD tag: "SHA256 (name) = hex".
        var open = line.IndexOf(" (", StringComparison.Ordinal);
        var close = line.LastIndexOf(") = ", StringComparison.Ordinal);
        if (open > 0 && close > open)
        {
            return (line[..open], line[(close + 4)..].Trim(), line[(open + 2)..close]);
        }

        // GNU: "hex  name" or "hex *name" (binary mode).
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var name = line[(space + 1)..].TrimStart(' ');
        return (null, line[..space], name.StartsWith('*') ? name[1..] : name);
    }

    private static bool SameFile(string listed, string fileName)
    {
        var name = listed.StartsWith("./", StringComparison.Ordinal) ? listed[2..] : listed;
        return name == fileName;
    }

    private static string Checksum(string? algorithm, string hex, string line)
    {
        if (!hex.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"the checksum file's line '{Shorten(line)}' has no hex digest");
        }

        var kind = (algorithm?.ToUpperInvariant(), hex.Length) switch
        {
            (null or "SHA256", 64) => "sha256",
            (null or "SHA512", 128) => "sha512",
            (null, var length) => throw new FormatException($"the checksum file's line '{Shorten(line)}' has a {length}-digit digest: only sha256 (64) and sha512 (128) are supported"),
            var (name, length) => throw new FormatException($"the checksum file's line '{Shorten(line)}' is {name} with {length} digits: only SHA256 (64) and SHA512 (128) are supported"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{kind}:{hex.ToLowerInvariant()}");
    }

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";
}
