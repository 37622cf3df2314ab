using System.Text.RegularExpressions;

namespace Imprint.Agent.Customization.Network;

/// <summary>
/// Edits <c>KEY="value"</c> lines of a sysconfig shell-variable file (SUSE's /etc/sysconfig/network/config) while
/// keeping every other line, comment and the order: an assignment is replaced in place, a missing one appended.
/// </summary>
public static partial class SysconfigVariables
{
    /// <summary><paramref name="content"/> (null: a new file) with <paramref name="key"/> set to <paramref name="value"/>, double-quoted.</summary>
    public static string With(string? content, string key, string value)
    {
        var line = $"{key}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        var lines = (content ?? string.Empty).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var found = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var match = Assignment().Match(lines[i]);
            if (match.Success && match.Groups["key"].Value == key)
            {
                lines[i] = found ? "# " + lines[i] : line;
                found = true;
            }
        }

        if (!found)
        {
            lines.Add(line);
        }

        return string.Join('\n', lines) + "\n";
    }

    [GeneratedRegex(@"^\s*(export\s+)?(?<key>[A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();
}
