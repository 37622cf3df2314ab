using System.Globalization;
using System.Text;

namespace Imprint.Agent.Lvm;

/// <summary>
/// Parses LVM's text metadata format: <c>key = value</c> and nested <c>name { … }</c> sections, values being quoted
/// strings (backslash escapes), integers, floats or flat <c>[ … ]</c> lists, <c>#</c> comments to the end of a line.
/// The text comes from an untrusted disk: size, nesting and list lengths are bounded and every problem is exit 4
/// ("malformed LVM metadata") naming the line.
/// </summary>
public sealed class LvmConfigParser
{
    /// <summary>Larger than any real VG's metadata (LVM's default area is 1 MiB and holds several copies).</summary>
    public const int MaxTextBytes = 4 * 1024 * 1024;

    private const int MaxDepth = 8;
    private const int MaxListItems = 65536;
    private readonly string _text;
    private int _at;
    private int _line = 1;

    private LvmConfigParser(string text) => _text = text;

    public static LvmConfigSection Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxTextBytes)
        {
            throw MalformedLvm.Error($"the metadata text is {utf8.Length} bytes, more than the {MaxTextBytes} Imprint reads");
        }

        // The stored text ends in a NUL; anything after the first one is not metadata.
        var end = utf8.IndexOf((byte)0);
        var text = Encoding.UTF8.GetString(end < 0 ? utf8 : utf8[..end]);
        var parser = new LvmConfigParser(text);
        var top = new LvmConfigSection(string.Empty);
        parser.ParseEntries(top, depth: 0);
        return top;
    }

    private void ParseEntries(LvmConfigSection section, int depth)
    {
        while (true)
        {
            SkipSpace();
            if (_at >= _text.Length)
            {
                if (depth > 0)
                {
                    throw Error($"section '{section.Name}' is not closed");
                }

                return;
            }

            if (_text[_at] == '}')
            {
                if (depth == 0)
                {
                    throw Error("'}' without a section to close");
                }

                _at++;
                return;
            }

            var name = ReadName();
            SkipSpace();
            if (_at >= _text.Length)
            {
                throw Error($"'{name}' is followed by nothing");
            }

            if (_text[_at] == '{')
            {
                if (depth + 1 > MaxDepth)
                {
                    throw Error($"sections nest deeper than {MaxDepth} levels");
                }

                _at++;
                var child = new LvmConfigSection(name);
                ParseEntries(child, depth + 1);
                section.Add(new LvmConfigEntry(name, null, child));
            }
            else if (_text[_at] == '=')
            {
                _at++;
                section.Add(new LvmConfigEntry(name, ReadValue(allowList: true), null));
            }
            else
            {
                throw Error($"expected '=' or '{{' after '{name}'");
            }
        }
    }

    private LvmConfigValue ReadValue(bool allowList)
    {
        SkipSpace();
        if (_at >= _text.Length)
        {
            throw Error("a value is missing");
        }

        var c = _text[_at];
        if (c == '"')
        {
            return LvmConfigValue.FromString(ReadString());
        }

        if (c == '[' && allowList)
        {
            _at++;
            var items = new List<LvmConfigValue>();
            while (true)
            {
                SkipSpace();
                if (_at < _text.Length && _text[_at] == ']')
                {
                    _at++;
                    return LvmConfigValue.FromList(items);
                }

                if (items.Count > 0)
                {
                    if (_at >= _text.Length || _text[_at] != ',')
                    {
                        throw Error("list items must be separated by ','");
                    }

                    _at++;
                }

                if (items.Count == MaxListItems)
                {
                    throw Error($"a list holds more than {MaxListItems} items");
                }

                items.Add(ReadValue(allowList: false));
            }
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ReadNumber();
        }

        throw Error($"unexpected '{Printable(c)}' where a value belongs");
    }

    private LvmConfigValue ReadNumber()
    {
        var start = _at;
        if (_text[_at] == '-')
        {
            _at++;
        }

        while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] == '.'))
        {
            _at++;
        }

        var token = _text[start.._at];
        if (token.Contains('.', StringComparison.Ordinal))
        {
            return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? new LvmConfigValue(LvmValueKind.Float, token, 0, null)
                : throw Error($"'{token}' is not a number");
        }

        return long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? LvmConfigValue.FromInteger(value)
            : throw Error($"'{token}' is not a 64-bit integer");
    }

    private string ReadString()
    {
        _at++;
        var value = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length)
            {
                throw Error("a string is not closed");
            }

            var c = _text[_at++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\' && _at < _text.Length)
            {
                c = _text[_at++];
            }

            if (c == '\n')
            {
                _line++;
            }

            value.Append(c);
        }
    }

    private string ReadName()
    {
        var start = _at;
        while (_at < _text.Length && IsNameChar(_text[_at]))
        {
            _at++;
        }

        return _at > start ? _text[start.._at] : throw Error($"unexpected '{Printable(_text[_at])}' where a name belongs");
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+' or '-';

    private void SkipSpace()
    {
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (c == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else if (c == '\n')
            {
                _line++;
                _at++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _at++;
            }
            else
            {
                return;
            }
        }
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();

    private Errors.ImprintException Error(string detail) => MalformedLvm.Error($"line {_line} of the metadata text: {detail}");
}
