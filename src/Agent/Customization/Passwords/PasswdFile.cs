using System.Globalization;

namespace Imprint.Agent.Customization.Passwords;

/// <summary>Parses /etc/passwd and /etc/group text; comments, NIS "+"/"-" lines and malformed lines are skipped.</summary>
public static class PasswdFile
{
    public static IReadOnlyList<PasswdEntry> ParseUsers(string? passwd) =>
        Records(passwd, 7)
            .Where(f => IsId(f[2]) && IsId(f[3]))
            .Select(f => new PasswdEntry(f[0], ParseId(f[2]), ParseId(f[3]), f[4], f[5], f[6]))
            .ToList();

    public static IReadOnlyList<GroupEntry> ParseGroups(string? group) =>
        Records(group, 3)
            .Where(f => IsId(f[2]))
            .Select(f => new GroupEntry(f[0], ParseId(f[2]), f.Length > 3 && f[3].Length > 0 ? f[3].Split(',') : []))
            .ToList();

    internal static IEnumerable<string[]> Records(string? text, int minimumFields) =>
        (text ?? string.Empty).Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 && l[0] is not ('#' or '+' or '-'))
            .Select(l => l.Split(':'))
            .Where(f => f.Length >= minimumFields && f[0].Length > 0);

    private static bool IsId(string text) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static uint ParseId(string text) => uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
