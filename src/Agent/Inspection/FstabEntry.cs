namespace Imprint.Agent.Inspection;

/// <summary>One line of /etc/fstab.</summary>
public sealed record FstabEntry(string Spec, string MountPoint, string FsType, string Options)
{
    public static IReadOnlyList<FstabEntry> Parse(string content) =>
        content.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 3)
            .Select(f => new FstabEntry(Unescape(f[0]), Unescape(f[1]), f[2], f.Length > 3 ? f[3] : "defaults"))
            .ToList();

    // fstab escapes spaces and tabs in octal (\040, \011).
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal);
}
