using System.Text;
using Imprint.Agent.Customization.Spec;

namespace Imprint.Agent.Customization.Edits;

/// <summary>/etc/hosts edits: the Debian 127.0.1.1 hostname line and a marked block of extra entries.</summary>
public static class HostsFile
{
    public const string BeginMarker = "# BEGIN imprint";
    public const string EndMarker = "# END imprint";

    /// <summary>Points the 127.0.1.1 line at the new name (short and FQDN), adding the line after localhost if missing.</summary>
    public static string WithDebianHostname(string content, string hostname)
    {
        var names = hostname.Contains('.', StringComparison.Ordinal) ? $"{hostname} {hostname.Split('.')[0]}" : hostname;
        var line = $"127.0.1.1\t{names}";
        var lines = content.Split('\n').ToList();
        var index = lines.FindIndex(l => l.TrimStart().StartsWith("127.0.1.1", StringComparison.Ordinal));
        if (index >= 0)
        {
            lines[index] = line;
        }
        else
        {
            var localhost = lines.FindIndex(l => l.TrimStart().StartsWith("127.0.0.1", StringComparison.Ordinal));
            lines.Insert(localhost + 1, line);
        }

        return string.Join('\n', lines);
    }

    /// <summary>Replaces (or appends) the imprint block with <paramref name="entries"/>; no entries removes it.</summary>
    public static string WithEntries(string content, IReadOnlyList<HostEntrySpec> entries)
    {
        var lines = content.Split('\n').ToList();
        var begin = lines.IndexOf(BeginMarker);
        var end = lines.IndexOf(EndMarker);
        if (begin >= 0 && end > begin)
        {
            lines.RemoveRange(begin, end - begin + 1);
        }

        var text = string.Join('\n', lines);
        if (entries.Count == 0)
        {
            return text;
        }

        var block = new StringBuilder();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            block.Append('\n');
        }

        block.Append(BeginMarker).Append('\n');
        foreach (var entry in entries)
        {
            block.Append(entry.Ip).Append('\t').Append(string.Join(' ', entry.Hostnames ?? [])).Append('\n');
        }

        block.Append(EndMarker).Append('\n');
        return text + block;
    }
}
