using Imprint.Agent.Errors;

namespace Imprint.Agent.Importing;

/// <summary>
/// HTTP header lines (<c>Authorization: Bearer …</c>) from a file mounted from a Secret. Values are secrets: no
/// message ever repeats them, only line numbers and header names.
/// </summary>
public static class HttpHeaderFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"header file '{path}' does not exist");
        }

        var headers = new List<KeyValuePair<string, string>>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon <= 0 ? string.Empty : line[..colon].Trim();
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                throw ImprintException.Usage($"header file '{path}' line {number} is not 'Name: value'");
            }

            var value = line[(colon + 1)..].Trim();
            if (value.Any(c => c is '\r' or '\n' or '\0'))
            {
                throw ImprintException.Usage($"header file '{path}' line {number} ({name}) holds a control character");
            }

            headers.Add(new KeyValuePair<string, string>(name, value));
        }

        return headers;
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
