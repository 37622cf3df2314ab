using Imprint.Agent.Errors;

namespace Imprint.Agent.Guest;

/// <summary>
/// Shell-like matching of one path component: <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, <c>[!x]</c>/<c>[^x]</c>,
/// backslash escapes. A leading '.' in a name is only matched by a literal '.' in the pattern, as in sh.
/// </summary>
internal static class GuestGlob
{
    public const string Recursive = "**";

    public static bool HasWildcards(string component) => component.AsSpan().IndexOfAny("*?[\\") >= 0;

    public static string Unescape(string component) => component.Replace("\\", string.Empty, StringComparison.Ordinal);

    public static bool Matches(string pattern, string name)
    {
        if (name is "." or "..")
        {
            return false;
        }

        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        return Match(pattern, 0, name, 0);
    }

    private static bool Match(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            switch (c)
            {
                case '*':
                    while (pi < p.Length && p[pi] == '*')
                    {
                        pi++;
                    }

                    if (pi == p.Length)
                    {
                        return true;
                    }

                    for (var k = si; k <= s.Length; k++)
                    {
                        if (Match(p, pi, s, k))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (si >= s.Length)
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
                case '[':
                    if (si >= s.Length)
                    {
                        return false;
                    }

                    var (matched, next) = MatchClass(p, pi, s[si]);
                    if (!matched)
                    {
                        return false;
                    }

                    pi = next;
                    si++;
                    break;
                default:
                    if (c == '\\' && pi + 1 < p.Length)
                    {
                        pi++;
                        c = p[pi];
                    }

                    if (si >= s.Length || s[si] != c)
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
            }
        }

        return si == s.Length;
    }

    private static (bool Matched, int Next) MatchClass(string p, int open, char ch)
    {
        var i = open + 1;
        var negate = i < p.Length && p[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var matched = false;
        var first = true;
        while (i < p.Length && (first || p[i] != ']'))
        {
            first = false;
            var lo = p[i];
            if (lo == '\\' && i + 1 < p.Length)
            {
                i++;
                lo = p[i];
            }

            i++;
            var hi = lo;
            if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
            {
                hi = p[i + 1];
                i += 2;
            }

            if (ch >= lo && ch <= hi)
            {
                matched = true;
            }
        }

        if (i >= p.Length)
        {
            throw ImprintException.Usage($"glob pattern component '{p}' has an unclosed '['");
        }

        return (matched != negate, i + 1);
    }
}
