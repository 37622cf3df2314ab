using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Operator.Manifests;

/// <summary>
/// Writes a JSON tree as block-style YAML, deterministically: keys in the tree's order, 2-space indent, sequences
/// under a key at the key's indent (kubebuilder's layout), and any string that YAML could read as something else
/// double-quoted with JSON escapes (a JSON string is a valid YAML double-quoted scalar).
/// </summary>
public static partial class YamlWriter
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    /// <summary>One YAML document; <paramref name="headerComment"/> lines become <c># </c> comments at the top.</summary>
    public static string Write(JsonNode node, string? headerComment = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = new StringBuilder();
        if (headerComment is not null)
        {
            foreach (var line in headerComment.Split('\n'))
            {
                text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
            }
        }

        switch (node)
        {
            case JsonObject { Count: > 0 } map:
                WriteMapping(text, map, 0);
                break;
            case JsonArray { Count: > 0 } list:
                WriteSequence(text, list, 0);
                break;
            default:
                text.Append(Inline(node)).Append('\n');
                break;
        }

        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject map, int indent)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!first)
            {
                text.Append(' ', indent);
            }

            first = false;
            WriteEntry(text, key, value, indent);
        }
    }

    // Writes "key: value" (the caller has already written the indent of the first line).
    private static void WriteEntry(StringBuilder text, string key, JsonNode? value, int indent)
    {
        text.Append(Scalar(key)).Append(':');
        switch (value)
        {
            case JsonObject { Count: > 0 } map:
                text.Append('\n').Append(' ', indent + 2);
                WriteMapping(text, map, indent + 2);
                break;
            case JsonArray { Count: > 0 } list:
                text.Append('\n');
                WriteSequence(text, list, indent);
                break;
            default:
                text.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static void WriteSequence(StringBuilder text, JsonArray list, int indent)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case JsonObject { Count: > 0 } map:
                    text.Append(' ');
                    WriteMapping(text, map, indent + 2);
                    break;
                case JsonArray { Count: > 0 } nested:
                    text.Append('\n');
                    WriteSequence(text, nested, indent + 2);
                    break;
                default:
                    text.Append(' ').Append(Inline(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            _ => throw new ArgumentException($"cannot write {value.GetValueKind()} as YAML", nameof(node)),
        },
        _ => throw new ArgumentException($"cannot write {node.GetType().Name} as YAML", nameof(node)),
    };

    /// <summary>A string as a plain scalar when YAML reads it back as the same string, otherwise double-quoted.</summary>
    public static string Scalar(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PlainSafe().IsMatch(value) && !Reserved.Contains(value) ? value : Quote(value);
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    // Starts with a letter or '/', then only characters with no meaning in block context; no ": ", " #", or trailing
    // space is possible because ':' and '#' are excluded. Numbers never start with a letter except .inf/.nan-like
    // words, which cannot start with a letter either.
    [GeneratedRegex(@"^[A-Za-z/][A-Za-z0-9 _./,()+=-]*(?<! )$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();
}
