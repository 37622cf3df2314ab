namespace Imprint.Agent.Customization.Users;

/// <summary>
/// Line edits of /etc/passwd, /etc/shadow, /etc/group and /etc/gshadow text that keep every other byte as it was,
/// so a diff of the guest shows only the added line or member.
/// </summary>
public static class AccountText
{
    /// <summary><paramref name="text"/> with <paramref name="line"/> appended (after a newline if the text lacks one).</summary>
    public static string WithLine(string? text, string line)
    {
        var current = text ?? string.Empty;
        return current.Length == 0 || current.EndsWith('\n') ? current + line + "\n" : current + "\n" + line + "\n";
    }

    /// <summary>
    /// Adds <paramref name="user"/> to the member list (the fourth field, in /etc/group and in /etc/gshadow alike)
    /// of <paramref name="group"/>'s line. Unchanged when already a member; null when the group has no line.
    /// </summary>
    public static string? WithMember(string text, string group, string user)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var cr = line.EndsWith('\r');
            var fields = (cr ? line[..^1] : line).Split(':');
            if (fields.Length < 3 || fields[0] != group)
            {
                continue;
            }

            if (fields.Length == 3)
            {
                fields = [.. fields, string.Empty];
            }

            var members = fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (members.Contains(user, StringComparer.Ordinal))
            {
                return text;
            }

            fields[3] = string.Join(',', [.. members, user]);
            lines[i] = string.Join(':', fields) + (cr ? "\r" : string.Empty);
            return string.Join('\n', lines);
        }

        return null;
    }
}
