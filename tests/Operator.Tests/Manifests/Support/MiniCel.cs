using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Imprint.Operator.Tests.Manifests.Support;

/// <summary>
/// A small CEL interpreter for the subset our CRD rules use (has, type, ternary, logic, comparisons, in, list
/// literals, size, matches, startsWith, filter/exists/all), so the tests can run the rules, not only read them.
/// Values: null, bool, long, string, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;. Unknown syntax throws.
/// </summary>
internal static class MiniCel
{
    private sealed record TypeToken(string Name);

    private abstract record Node;

    private sealed record Literal(object? Value) : Node;

    private sealed record Identifier(string Name) : Node;

    private sealed record Select(Node Target, string Field) : Node;

    private sealed record Call(Node? Target, string Function, IReadOnlyList<Node> Args) : Node;

    private sealed record ListLiteral(IReadOnlyList<Node> Items) : Node;

    private sealed record Unary(string Op, Node Operand) : Node;

    private sealed record Binary(string Op, Node Left, Node Right) : Node;

    private sealed record Conditional(Node Test, Node Then, Node Else) : Node;

    public static bool UsesOldSelf(string rule) => Regex.IsMatch(rule, @"\boldSelf\b");

    public static bool Evaluate(string rule, object? self, object? oldSelf)
    {
        var parser = new Parser(Tokenize(rule));
        var ast = parser.ParseExpression();
        parser.ExpectEnd();
        var variables = new Dictionary<string, object?> { ["self"] = self, ["oldSelf"] = oldSelf };
        return Eval(ast, variables) is bool result
            ? result
            : throw new InvalidOperationException($"rule '{rule}' did not produce a bool");
    }

    private static object? Eval(Node node, Dictionary<string, object?> vars) => node switch
    {
        Literal literal => literal.Value,
        Identifier { Name: "int" or "string" or "bool" or "list" or "map" } type => new TypeToken(((Identifier)type).Name),
        Identifier identifier => vars.TryGetValue(identifier.Name, out var value)
            ? value
            : throw new InvalidOperationException($"undeclared reference '{identifier.Name}'"),
        Select select => Eval(select.Target, vars) is Dictionary<string, object?> map && map.TryGetValue(select.Field, out var field)
            ? field
            : throw new InvalidOperationException($"no such key: {select.Field}"),
        ListLiteral list => list.Items.Select(i => Eval(i, vars)).ToList(),
        Unary { Op: "!" } not => !(bool)Eval(not.Operand, vars)!,
        Unary { Op: "-" } negate => -(long)Eval(negate.Operand, vars)!,
        Conditional c => (bool)Eval(c.Test, vars)! ? Eval(c.Then, vars) : Eval(c.Else, vars),
        Binary { Op: "&&" } and => (bool)Eval(and.Left, vars)! && (bool)Eval(and.Right, vars)!,
        Binary { Op: "||" } or => (bool)Eval(or.Left, vars)! || (bool)Eval(or.Right, vars)!,
        Binary binary => Compare(binary.Op, Eval(binary.Left, vars), Eval(binary.Right, vars)),
        Call call => Invoke(call, vars),
        _ => throw new InvalidOperationException($"cannot evaluate {node}"),
    };

    private static object? Invoke(Call call, Dictionary<string, object?> vars)
    {
        if (call is { Target: null, Function: "has" })
        {
            var select = call.Args.Single() as Select ?? throw new InvalidOperationException("has() needs a field selection");
            return Eval(select.Target, vars) is Dictionary<string, object?> map && map.ContainsKey(select.Field);
        }

        if (call is { Target: null, Function: "type" })
        {
            return Eval(call.Args.Single(), vars) switch
            {
                long => new TypeToken("int"),
                string => new TypeToken("string"),
                bool => new TypeToken("bool"),
                List<object?> => new TypeToken("list"),
                Dictionary<string, object?> => new TypeToken("map"),
                var other => throw new InvalidOperationException($"no type for {other}"),
            };
        }

        if (call.Function is "filter" or "exists" or "all")
        {
            var items = (List<object?>)Eval(call.Target!, vars)!;
            var variable = ((Identifier)call.Args[0]).Name;
            bool Test(object? item) => (bool)Eval(call.Args[1], new Dictionary<string, object?>(vars) { [variable] = item })!;
            return call.Function switch
            {
                "filter" => items.Where(Test).ToList(),
                "exists" => items.Any(Test),
                _ => items.All(Test),
            };
        }

        var target = Eval(call.Target ?? throw new InvalidOperationException($"unknown function {call.Function}"), vars);
        var args = call.Args.Select(a => Eval(a, vars)).ToList();
        return (call.Function, target) switch
        {
            ("size", string s) => (long)s.EnumerateRunes().Count(),
            ("size", List<object?> l) => (long)l.Count,
            ("size", Dictionary<string, object?> m) => (long)m.Count,
            ("matches", string s) => Regex.IsMatch(s, (string)args[0]!),
            ("startsWith", string s) => s.StartsWith((string)args[0]!, StringComparison.Ordinal),
            ("endsWith", string s) => s.EndsWith((string)args[0]!, StringComparison.Ordinal),
            _ => throw new InvalidOperationException($"no overload {call.Function} on {target?.GetType().Name}"),
        };
    }

    private static bool Compare(string op, object? left, object? right)
    {
        switch (op)
        {
            case "==":
                return DeepEquals(left, right);
            case "!=":
                return !DeepEquals(left, right);
            case "in":
                return right is List<object?> list
                    ? list.Any(item => DeepEquals(item, left))
                    : right is Dictionary<string, object?> map && map.ContainsKey((string)left!);
        }

        var order = (left, right) switch
        {
            (long a, long b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => throw new InvalidOperationException($"no overload {op} for {left?.GetType().Name}, {right?.GetType().Name}"),
        };
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => throw new InvalidOperationException($"unknown operator {op}"),
        };
    }

    public static bool DeepEquals(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (List<object?> a, List<object?> b) => a.Count == b.Count && a.Zip(b).All(p => DeepEquals(p.First, p.Second)),
        (Dictionary<string, object?> a, Dictionary<string, object?> b) =>
            a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && DeepEquals(e.Value, v)),
        (TypeToken a, TypeToken b) => a.Name == b.Name,
        (long or string or bool, _) => left.Equals(right),
        _ => false,
    };

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
                while (text[i] != c)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                i++;
                tokens.Add("'" + value);
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(two);
                    i += 2;
                }
                else if ("!<>?:()[].,-".Contains(c, StringComparison.Ordinal))
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else
                {
                    throw new InvalidOperationException($"unexpected '{c}' in '{text}'");
                }
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _position;

        private string? Peek => _position < tokens.Count ? tokens[_position] : null;

        public void ExpectEnd()
        {
            if (Peek is not null)
            {
                throw new InvalidOperationException($"unexpected '{Peek}'");
            }
        }

        public Node ParseExpression()
        {
            var test = ParseBinary(0);
            if (!Accept("?"))
            {
                return test;
            }

            var then = ParseExpression();
            Expect(":");
            return new Conditional(test, then, ParseExpression());
        }

        private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"]];

        private Node ParseBinary(int level)
        {
            if (level == Levels.Length)
            {
                return ParseUnary();
            }

            var left = ParseBinary(level + 1);
            while (Peek is { } op && Levels[level].Contains(op))
            {
                _position++;
                left = new Binary(op, left, ParseBinary(level + 1));
            }

            return left;
        }

        private Node ParseUnary() =>
            Accept("!") ? new Unary("!", ParseUnary()) : Accept("-") ? new Unary("-", ParseUnary()) : ParsePostfix();

        private Node ParsePostfix()
        {
            var node = ParsePrimary();
            while (Accept("."))
            {
                var name = Next();
                node = Accept("(") ? new Call(node, name, ParseArguments(")")) : new Select(node, name);
            }

            return node;
        }

        private Node ParsePrimary()
        {
            var token = Next();
            if (token == "(")
            {
                var inner = ParseExpression();
                Expect(")");
                return inner;
            }

            if (token == "[")
            {
                return new ListLiteral(ParseArguments("]"));
            }

            if (token.StartsWith('\''))
            {
                return new Literal(token[1..]);
            }

            if (char.IsDigit(token[0]))
            {
                return new Literal(long.Parse(token, CultureInfo.InvariantCulture));
            }

            return token switch
            {
                "true" => new Literal(true),
                "false" => new Literal(false),
                "null" => new Literal(null),
                _ when Accept("(") => new Call(null, token, ParseArguments(")")),
                _ => new Identifier(token),
            };
        }

        private List<Node> ParseArguments(string close)
        {
            var args = new List<Node>();
            if (Accept(close))
            {
                return args;
            }

            do
            {
                args.Add(ParseExpression());
            }
            while (Accept(","));

            Expect(close);
            return args;
        }

        private string Next() => _position < tokens.Count ? tokens[_position++] : throw new InvalidOperationException("unexpected end");

        private bool Accept(string token)
        {
            if (Peek != token)
            {
                return false;
            }

            _position++;
            return true;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw new InvalidOperationException($"expected '{token}' but found '{Peek}'");
            }
        }
    }
}
