using System.Text;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// /etc/hosts edits as pure text functions. Every line the edit does not own is kept byte for byte, and applying an
/// edit to its own output returns the same text.
/// </summary>
public static class HostsFile
{
    public const string Path = "/etc/hosts";
    public const string BeginMarker = "# BEGIN imprint";
    public const string EndMarker = "# END imprint";
    public const string DebianHostAddress = "127.0.1.1";

    /// <summary>
    /// Debian-family guests name the host on a <c>127.0.1.1</c> line (what debian-installer writes, so the name
    /// resolves without DNS): its names become "fqdn short" (or just the name), or the line is added after the last
    /// 127.0.0.1 line. Other families' loopback lines name only localhost, so their text is returned unchanged.
    /// </summary>
    public static string WithHostname(string content, string hostname, GuestFamily family) =>
        family == GuestFamily.Debian ? WithDebianHostname(content, hostname) : content;

    public static string WithDebianHostname(string content, string hostname)
    {
        var dot = hostname.IndexOf('.', StringComparison.Ordinal);
        var names = dot > 0 ? $"{hostname} {hostname[..dot]}" : hostname;
        var lines = content.Split('\n').ToList();
        var index = lines.FindIndex(l => FirstField(l) == DebianHostAddress);
        if (index >= 0)
        {
            // Keep the address and the separator the file uses; replace the names (and any comment after them).
            var line = lines[index];
            var start = line.IndexOf(DebianHostAddress, StringComparison.Ordinal) + DebianHostAddress.Length;
            var separatorEnd = start;
            while (separatorEnd < line.Length && line[separatorEnd] is ' ' or '\t')
            {
                separatorEnd++;
            }

            var separator = separatorEnd > start ? line[start..separatorEnd] : "\t";
            lines[index] = line[..start] + separator + names + (line.EndsWith('\r') ? "\r" : string.Empty);
            return string.Join('\n', lines);
        }

        var newLine = $"{DebianHostAddress}\t{names}";
        if (content.Length == 0)
        {
            return newLine + "\n";
        }

        var localhost = lines.FindLastIndex(l => FirstField(l) == "127.0.0.1");
        lines.Insert(localhost + 1, newLine);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Replaces the <c># BEGIN imprint</c> … <c># END imprint</c> block with <paramref name="entries"/> (appended at the
    /// end when there is none yet); no entries removes the block. Loopback and every other line stay as they are.
    /// </summary>
    public static string WithEntries(string content, IReadOnlyList<HostEntrySpec> entries)
    {
        var lines = content.Split('\n').ToList();
        var begin = lines.FindIndex(l => l.TrimEnd() == BeginMarker);
        var end = begin < 0 ? -1 : lines.FindIndex(begin, l => l.TrimEnd() == EndMarker);
        if (begin >= 0 && end < 0)
        {
            throw ImprintException.Conflict($"{Path} has '{BeginMarker}' without '{EndMarker}'; repair the file or remove the marker");
        }

        var position = lines.Count;
        if (begin >= 0)
        {
            lines.RemoveRange(begin, end - begin + 1);
            position = begin;
        }

        var block = new List<string>();
        if (entries.Count > 0)
        {
            block.Add(BeginMarker);
            block.AddRange(entries.Select(e => $"{e.Ip}\t{string.Join(' ', e.Hostnames ?? [])}"));
            block.Add(EndMarker);
        }

        if (position == lines.Count)
        {
            // Appending: after the file's last line, which ends with "\n" unless the file lacked a final newline.
            var text = string.Join('\n', lines);
            var builder = new StringBuilder(text);
            if (block.Count > 0)
            {
                if (text.Length > 0 && !text.EndsWith('\n'))
                {
                    builder.Append('\n');
                }

                builder.AppendJoin('\n', block).Append('\n');
            }

            return builder.ToString();
        }

        lines.InsertRange(position, block);
        return string.Join('\n', lines);
    }

    private static string FirstField(string line)
    {
        var trimmed = line.TrimStart(' ', '\t');
        var end = trimmed.AsSpan().IndexOfAny(" \t\r");
        return end < 0 ? trimmed : trimmed[..end];
    }
}
