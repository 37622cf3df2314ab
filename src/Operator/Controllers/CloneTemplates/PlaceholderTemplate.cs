using System.Globalization;
using System.Text;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// The placeholder grammar of CloneTemplate strings, and a pure renderer. A template is plain text with actions:
/// <code>
/// template = { text | action }
/// text     = characters that do not start "{{"
/// action   = "{{" spaces expr spaces "}}"          spaces = { " " }
/// expr     = ".claim.name" | ".claim.namespace" | ".vm.name"
///          | ".claim.labels[" key "]" | ".claim.annotations[" key "]" | literal
/// key      = '"' { A-Z a-z 0-9 . _ / - }+ '"'       (the characters of label and annotation keys)
/// literal  = '"' { any character but '"' and '\' } '"'
/// </code>
/// A literal renders as its text, so <c>{{ "{{" }}</c> is how a template writes a literal <c>{{</c> (what
/// <see cref="Escape"/> does); <c>}}</c> outside an action is plain text. A label or annotation the claim lacks, or
/// <c>.vm.name</c> for a claim no VirtualMachine owns, is a render error rather than an empty string: an empty host name
/// or a half-filled path would be a silent wrong disk.
/// </summary>
public static class PlaceholderTemplate
{
    /// <summary>
    /// The grammar as one RE2/.NET regular expression, for CEL's <c>matches()</c> on the CRD (a property test holds it
    /// equal to <see cref="Parse"/>): text is a character other than '{', or a '{' not followed by another.
    /// </summary>
    public const string Pattern = Apis.Schema.SchemaPatterns.Placeholders;

    /// <summary>The placeholders a template may use, as written (for messages and docs).</summary>
    public const string Known = "{{ .claim.name }}, {{ .claim.namespace }}, {{ .claim.labels[\"key\"] }}, {{ .claim.annotations[\"key\"] }}, {{ .vm.name }}, {{ \"literal\" }}";

    private const string Open = "{{";
    private const string Close = "}}";

    public static bool HasActions(string template) => template.Contains(Open, StringComparison.Ordinal);

    public static PlaceholderParse Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var segments = new List<Placeholder>();
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf(Open, at, StringComparison.Ordinal);
            if (open < 0)
            {
                segments.Add(new Placeholder(PlaceholderKind.Literal, template[at..]));
                break;
            }

            if (open > at)
            {
                segments.Add(new Placeholder(PlaceholderKind.Literal, template[at..open]));
            }

            var i = SkipSpaces(template, open + Open.Length);
            var (action, end, error) = Expression(template, i);
            if (action is null)
            {
                return new PlaceholderParse([], Where(open, error!));
            }

            end = SkipSpaces(template, end);
            if (string.CompareOrdinal(template, end, Close, 0, Close.Length) != 0)
            {
                return new PlaceholderParse([], Where(open, end >= template.Length
                    ? "the action is not closed with }}"
                    : $"expected }}}} after {action} but found '{Excerpt(template, end)}'"));
            }

            segments.Add(action);
            at = end + Close.Length;
        }

        return new PlaceholderParse(segments, null);
    }

    /// <summary>The rendered string, or an error naming the placeholder that has no value for this claim.</summary>
    public static (string? Value, string? Error) Render(string template, PlaceholderValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parse = Parse(template);
        if (!parse.Ok)
        {
            return (null, parse.Error);
        }

        var text = new StringBuilder(template.Length);
        foreach (var segment in parse.Segments)
        {
            var value = segment.Kind switch
            {
                PlaceholderKind.Literal => segment.Argument,
                PlaceholderKind.ClaimName => values.ClaimName,
                PlaceholderKind.ClaimNamespace => values.ClaimNamespace,
                PlaceholderKind.ClaimLabel => values.ClaimLabels.TryGetValue(segment.Argument, out var label) ? label : null,
                PlaceholderKind.ClaimAnnotation => values.ClaimAnnotations.TryGetValue(segment.Argument, out var annotation) ? annotation : null,
                PlaceholderKind.VmName => values.VmName,
                _ => null,
            };
            if (value is null)
            {
                return (null, segment.Kind switch
                {
                    PlaceholderKind.VmName => $"{segment} has no value: claim {values.ClaimNamespace}/{values.ClaimName} is not the disk of a VirtualMachine "
                        + "(no DataVolume or VirtualMachine owns it, and it has no vm.kubevirt.io/name label)",
                    PlaceholderKind.ClaimLabel => $"{segment} has no value: claim {values.ClaimNamespace}/{values.ClaimName} has no label '{segment.Argument}'",
                    _ => $"{segment} has no value: claim {values.ClaimNamespace}/{values.ClaimName} has no annotation '{segment.Argument}'",
                });
            }

            text.Append(value);
        }

        return (text.ToString(), null);
    }

    /// <summary>
    /// A template that renders as <paramref name="text"/> whatever the claim: every "{{" written as the literal action,
    /// and a trailing "{" too, so the result can be followed by an action without their braces joining into "{{".
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = text.Replace(Open, "{{ \"{{\" }}", StringComparison.Ordinal);
        return escaped.EndsWith('{') ? escaped[..^1] + "{{ \"{\" }}" : escaped;
    }

    private static (Placeholder? Action, int End, string? Error) Expression(string s, int i)
    {
        if (i < s.Length && s[i] == '"')
        {
            var close = s.IndexOf('"', i + 1);
            var backslash = s.IndexOf('\\', i + 1);
            if (close < 0)
            {
                return (null, i, "the quoted literal is not closed with \"");
            }

            if (backslash >= 0 && backslash < close)
            {
                return (null, i, "a quoted literal cannot hold a backslash (there are no escape sequences; write the text outside the action)");
            }

            return (new Placeholder(PlaceholderKind.Literal, s[(i + 1)..close]), close + 1, null);
        }

        foreach (var (name, kind) in new[] { (".claim.namespace", PlaceholderKind.ClaimNamespace), (".claim.name", PlaceholderKind.ClaimName), (".vm.name", PlaceholderKind.VmName) })
        {
            if (string.CompareOrdinal(s, i, name, 0, name.Length) == 0 && EndsName(s, i + name.Length))
            {
                return (new Placeholder(kind, ""), i + name.Length, null);
            }
        }

        foreach (var (prefix, kind) in new[] { (".claim.labels[", PlaceholderKind.ClaimLabel), (".claim.annotations[", PlaceholderKind.ClaimAnnotation) })
        {
            if (string.CompareOrdinal(s, i, prefix, 0, prefix.Length) != 0)
            {
                continue;
            }

            var keyStart = i + prefix.Length;
            var k = keyStart < s.Length && s[keyStart] == '"' ? keyStart + 1 : -1;
            while (k > 0 && k < s.Length && IsKeyChar(s[k]))
            {
                k++;
            }

            if (k <= keyStart + 1 || k + 1 >= s.Length || s[k] != '"' || s[k + 1] != ']')
            {
                return (null, i, $"{prefix}…] needs a quoted key of letters, digits and . _ / - (e.g. {prefix}\"app\"])");
            }

            return (new Placeholder(kind, s[(keyStart + 1)..k]), k + 2, null);
        }

        return (null, i, $"unknown placeholder '{Excerpt(s, i)}'; known: {Known}");
    }

    /// <summary>A name ends at a space, a brace or the end (so ".claim.namex" is not ".claim.name" followed by junk).</summary>
    private static bool EndsName(string s, int i) => i >= s.Length || s[i] is ' ' or '}';

    private static bool IsKeyChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '/' or '-';

    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }

        return i;
    }

    private static string Excerpt(string s, int i)
    {
        var end = s.IndexOf(Close, i, StringComparison.Ordinal);
        var text = end < 0 ? s[i..] : s[i..end];
        return text.Length <= 40 ? text.TrimEnd() : text[..40] + "…";
    }

    private static string Where(int position, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"at character {position + 1}: {message}");
}
