using System.Globalization;
using System.Text;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Tokenizes and parses the CEL subset: literals, lists, selection, indexing, calls, unary, binary and ternary operators.</summary>
internal sealed class CelParser
{
    private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"], ["*", "/", "%"]];

    private readonly List<string> _tokens;
    private int _position;

    private CelParser(List<string> tokens) => _tokens = tokens;

    private string? Peek => _position < _tokens.Count ? _tokens[_position] : null;

    public static CelNode Parse(string text)
    {
        var parser = new CelParser(Tokenize(text));
        var node = parser.ParseExpression();
        if (parser.Peek is { } extra)
            throw new CelException($"unexpected '{extra}'");
        return node;
    }

    private CelNode ParseExpression()
    {
        var test = ParseBinary(0);
        if (!Accept("?"))
            return test;
        var then = ParseExpression();
        Expect(":");
        return new CelNode.Conditional(test, then, ParseExpression());
    }

    private CelNode ParseBinary(int level)
    {
        if (level == Levels.Length)
            return ParseUnary();
        var left = ParseBinary(level + 1);
        while (Peek is { } op && Levels[level].Contains(op))
        {
            _position++;
            left = new CelNode.Binary(op, left, ParseBinary(level + 1));
        }
        return left;
    }

    private CelNode ParseUnary() =>
        Accept("!") ? new CelNode.Unary("!", ParseUnary())
        : Accept("-") ? new CelNode.Unary("-", ParseUnary())
        : ParsePostfix();

    private CelNode ParsePostfix()
    {
        var node = ParsePrimary();
        while (true)
        {
            if (Accept("."))
            {
                var name = Next();
                node = Accept("(") ? new CelNode.Call(node, name, ParseArguments(")")) : new CelNode.Select(node, name);
            }
            else if (Accept("["))
            {
                var key = ParseExpression();
                Expect("]");
                node = new CelNode.Index(node, key);
            }
            else
            {
                return node;
            }
        }
    }

    private CelNode ParsePrimary()
    {
        var token = Next();
        if (token == "(")
        {
            var inner = ParseExpression();
            Expect(")");
            return inner;
        }
        if (token == "[")
            return new CelNode.ListLiteral(ParseArguments("]"));
        if (token.StartsWith('\''))
            return new CelNode.Literal(token[1..]);
        if (char.IsDigit(token[0]))
        {
            return token.Contains('.', StringComparison.Ordinal)
                ? new CelNode.Literal(double.Parse(token, CultureInfo.InvariantCulture))
                : new CelNode.Literal(long.Parse(token.TrimEnd('u'), CultureInfo.InvariantCulture));
        }
        if (!char.IsLetter(token[0]) && token[0] != '_')
            throw new CelException($"unexpected '{token}'");
        return token switch
        {
            "true" => new CelNode.Literal(true),
            "false" => new CelNode.Literal(false),
            "null" => new CelNode.Literal(null),
            _ when Accept("(") => new CelNode.Call(null, token, ParseArguments(")")),
            _ => new CelNode.Identifier(token),
        };
    }

    private List<CelNode> ParseArguments(string close)
    {
        var args = new List<CelNode>();
        if (Accept(close))
            return args;
        do
            args.Add(ParseExpression());
        while (Accept(","));
        Expect(close);
        return args;
    }

    private string Next() => _position < _tokens.Count ? _tokens[_position++] : throw new CelException("unexpected end of expression");

    private bool Accept(string token)
    {
        if (Peek != token)
            return false;
        _position++;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
            throw new CelException($"expected '{token}' but found '{Peek ?? "end"}'");
    }

    /// <summary>String tokens keep a leading quote ('), so 'true' the string never reads as true the literal.</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                        value.Append(text[i] switch { 'n' => '\n', 't' => '\t', _ => text[i] });
                        i++;
                        continue;
                    }
                    value.Append(text[i++]);
                }
                if (i >= text.Length)
                    throw new CelException("unterminated string literal");
                i++;
                tokens.Add("'" + value);
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || (char.IsDigit(c) && text[i] == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1]))))
                    i++;
                tokens.Add(text[start..i]);
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(two);
                    i += 2;
                }
                else if ("!<>?:()[].,-+*/%".Contains(c, StringComparison.Ordinal))
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else
                {
                    throw new CelException($"unexpected '{c}'");
                }
            }
        }
        return tokens;
    }
}
