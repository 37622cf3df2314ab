using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// One compiled CEL expression of the subset CRD validation rules use here: has, type, ternary, logic, comparisons,
/// arithmetic on ints, in, list literals, indexing, size, matches, startsWith/endsWith/contains, int/string and the
/// macros filter/map/exists/exists_one/all. <see cref="Compile"/> refuses anything else (a rule this evaluator would
/// otherwise skip), so a CRD gaining an unsupported rule fails loudly. Values: null, bool, long, double, string,
/// List&lt;object?&gt; and Dictionary&lt;string, object?&gt;, converted from JSON.
/// </summary>
public sealed partial class CelProgram
{
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal) { "int", "uint", "double", "string", "bool", "list", "map", "null_type" };

    private static readonly HashSet<string> GlobalFunctions = new(StringComparer.Ordinal) { "has", "type", "size", "int", "string" };

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "size", "matches", "startsWith", "endsWith", "contains" };

    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "filter", "map", "exists", "exists_one", "all" };

    private readonly CelNode _root;

    private CelProgram(string expression, CelNode root)
    {
        Expression = expression;
        _root = root;
        UsesOldSelf = OldSelf().IsMatch(expression);
    }

    public string Expression { get; }

    /// <summary>A transition rule: the server runs it only on updates where the old value exists.</summary>
    public bool UsesOldSelf { get; }

    /// <summary>Parses and checks <paramref name="expression"/>; throws <see cref="CelException"/> for what this subset lacks.</summary>
    public static CelProgram Compile(string expression)
    {
        var root = CelParser.Parse(expression);
        Check(root, new HashSet<string>(StringComparer.Ordinal) { "self", "oldSelf" });
        return new CelProgram(expression, root);
    }

    /// <summary>Runs a rule; a result that is not a bool or an evaluation error throws <see cref="CelException"/>.</summary>
    public bool Evaluate(JsonNode? self, JsonNode? oldSelf = null) =>
        Run(self, oldSelf) is bool verdict ? verdict : throw new CelException($"rule '{Expression}' did not produce a bool");

    /// <summary>Runs a messageExpression; it must produce a string.</summary>
    public string EvaluateMessage(JsonNode? self, JsonNode? oldSelf = null) =>
        Run(self, oldSelf) as string ?? throw new CelException($"messageExpression '{Expression}' did not produce a string");

    private object? Run(JsonNode? self, JsonNode? oldSelf)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = ValueOf(self), ["oldSelf"] = ValueOf(oldSelf) };
        try
        {
            return Eval(_root, variables);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or RegexMatchTimeoutException or OverflowException or DivideByZeroException)
        {
            throw new CelException($"evaluating '{Expression}': {e.Message}");
        }
    }

    public static object? ValueOf(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(e => e.Key, e => ValueOf(e.Value), StringComparer.Ordinal),
        JsonArray list => list.Select(ValueOf).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 => long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    private static void Check(CelNode node, HashSet<string> scope)
    {
        switch (node)
        {
            case CelNode.Literal:
                return;
            case CelNode.Identifier id when scope.Contains(id.Name) || TypeNames.Contains(id.Name):
                return;
            case CelNode.Identifier id:
                throw new CelException($"undeclared reference to '{id.Name}'");
            case CelNode.Select select:
                Check(select.Target, scope);
                return;
            case CelNode.Index index:
                Check(index.Target, scope);
                Check(index.Key, scope);
                return;
            case CelNode.ListLiteral list:
                list.Items.ToList().ForEach(i => Check(i, scope));
                return;
            case CelNode.Unary unary:
                Check(unary.Operand, scope);
                return;
            case CelNode.Binary binary:
                Check(binary.Left, scope);
                Check(binary.Right, scope);
                return;
            case CelNode.Conditional c:
                Check(c.Test, scope);
                Check(c.Then, scope);
                Check(c.Else, scope);
                return;
            case CelNode.Call { Target: null, Function: "has" } has:
                if (has.Args is not [CelNode.Select select2])
                    throw new CelException("has() needs a field selection such as has(self.field)");
                Check(select2.Target, scope);
                return;
            case CelNode.Call { Target: not null } macro when Macros.Contains(macro.Function):
                if (macro.Args is not [CelNode.Identifier variable, var body])
                    throw new CelException($"{macro.Function}() needs a variable and an expression");
                Check(macro.Target, scope);
                Check(body, new HashSet<string>(scope, StringComparer.Ordinal) { variable.Name });
                return;
            case CelNode.Call call:
                var known = call.Target is null ? GlobalFunctions.Contains(call.Function) : Methods.Contains(call.Function);
                if (!known)
                    throw new CelException($"function '{call.Function}' is not supported by the fake's CEL evaluator");
                if (call.Target is not null)
                    Check(call.Target, scope);
                call.Args.ToList().ForEach(a => Check(a, scope));
                return;
            default:
                throw new CelException($"cannot check {node}");
        }
    }

    private static object? Eval(CelNode node, Dictionary<string, object?> vars) => node switch
    {
        CelNode.Literal literal => literal.Value,
        CelNode.Identifier { Name: var name } when vars.TryGetValue(name, out var value) => value,
        CelNode.Identifier { Name: var name } when TypeNames.Contains(name) => new CelType(name),
        CelNode.Identifier identifier => throw new CelException($"undeclared reference to '{identifier.Name}'"),
        CelNode.Select select => Eval(select.Target, vars) switch
        {
            Dictionary<string, object?> map when map.TryGetValue(select.Field, out var field) => field,
            Dictionary<string, object?> => throw new CelException($"no such key: {select.Field}"),
            var other => throw new CelException($"no field {select.Field} on {TypeName(other)}"),
        },
        CelNode.Index index => (Eval(index.Target, vars), Eval(index.Key, vars)) switch
        {
            (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
            (Dictionary<string, object?> map, string key) when map.TryGetValue(key, out var value) => value,
            var (target, key) => throw new CelException($"no such key or index {key} in {TypeName(target)}"),
        },
        CelNode.ListLiteral list => list.Items.Select(i => Eval(i, vars)).ToList(),
        CelNode.Unary { Op: "!" } not => !Bool(Eval(not.Operand, vars)),
        CelNode.Unary { Op: "-" } negate => Eval(negate.Operand, vars) switch
        {
            long l => checked(-l),
            double d => -d,
            var other => throw new CelException($"no overload -{TypeName(other)}"),
        },
        CelNode.Conditional c => Bool(Eval(c.Test, vars)) ? Eval(c.Then, vars) : Eval(c.Else, vars),
        CelNode.Binary { Op: "&&" } and => Bool(Eval(and.Left, vars)) && Bool(Eval(and.Right, vars)),
        CelNode.Binary { Op: "||" } or => Bool(Eval(or.Left, vars)) || Bool(Eval(or.Right, vars)),
        CelNode.Binary binary => Operate(binary.Op, Eval(binary.Left, vars), Eval(binary.Right, vars)),
        CelNode.Call call => Invoke(call, vars),
        _ => throw new CelException($"cannot evaluate {node}"),
    };

    private static bool Bool(object? value) => value as bool? ?? throw new CelException($"expected bool, got {TypeName(value)}");

    private static object? Invoke(CelNode.Call call, Dictionary<string, object?> vars)
    {
        switch (call)
        {
            case { Target: null, Function: "has" }:
                var select = (CelNode.Select)call.Args[0];
                return Eval(select.Target, vars) switch
                {
                    Dictionary<string, object?> map => map.ContainsKey(select.Field),
                    var other => throw new CelException($"has() on {TypeName(other)}"),
                };
            case { Target: null, Function: "type" }:
                return new CelType(TypeName(Eval(call.Args[0], vars)));
            case { Target: not null } when Macros.Contains(call.Function):
                var items = Eval(call.Target, vars) switch
                {
                    List<object?> list => list,
                    Dictionary<string, object?> map => map.Keys.Cast<object?>().ToList(),
                    var other => throw new CelException($"{call.Function}() on {TypeName(other)}"),
                };
                var variable = ((CelNode.Identifier)call.Args[0]).Name;
                object? Apply(object? item) => Eval(call.Args[1], new Dictionary<string, object?>(vars, StringComparer.Ordinal) { [variable] = item });
                return call.Function switch
                {
                    "filter" => items.Where(i => Bool(Apply(i))).ToList(),
                    "map" => items.Select(Apply).ToList(),
                    "exists" => items.Any(i => Bool(Apply(i))),
                    "exists_one" => items.Count(i => Bool(Apply(i))) == 1,
                    _ => items.All(i => Bool(Apply(i))),
                };
        }
        var args = call.Args.Select(a => Eval(a, vars)).ToList();
        var target = call.Target is null ? null : Eval(call.Target, vars);
        if (call.Target is null)
        {
            (target, args) = (args.FirstOrDefault(), args.Skip(1).ToList());
        }
        return (call.Function, target, args) switch
        {
            ("size", string s, []) => (long)s.EnumerateRunes().Count(),
            ("size", List<object?> l, []) => (long)l.Count,
            ("size", Dictionary<string, object?> m, []) => (long)m.Count,
            ("matches", string s, [string pattern]) => Regex.IsMatch(s, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)),
            ("startsWith", string s, [string prefix]) => s.StartsWith(prefix, StringComparison.Ordinal),
            ("endsWith", string s, [string suffix]) => s.EndsWith(suffix, StringComparison.Ordinal),
            ("contains", string s, [string part]) => s.Contains(part, StringComparison.Ordinal),
            ("int", long l, []) => l,
            ("int", double d, []) => checked((long)d),
            ("int", string s, []) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed : throw new CelException($"cannot convert '{s}' to int"),
            ("string", var any, []) => any switch
            {
                string s => s,
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => throw new CelException($"cannot convert {TypeName(any)} to string"),
            },
            _ => throw new CelException($"no overload {call.Function} for {TypeName(target)}"),
        };
    }

    private static object? Operate(string op, object? left, object? right)
    {
        switch (op)
        {
            case "==":
                return DeepEquals(left, right);
            case "!=":
                return !DeepEquals(left, right);
            case "in":
                return right switch
                {
                    List<object?> list => list.Any(item => DeepEquals(item, left)),
                    Dictionary<string, object?> map when left is string key => map.ContainsKey(key),
                    _ => throw new CelException($"no overload in for {TypeName(left)}, {TypeName(right)}"),
                };
            case "+" or "-" or "*" or "/" or "%":
                return Arithmetic(op, left, right);
        }
        var order = (left, right) switch
        {
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (long a, double b) => ((double)a).CompareTo(b),
            (double a, long b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => throw new CelException($"no overload {op} for {TypeName(left)}, {TypeName(right)}"),
        };
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private static object? Arithmetic(string op, object? left, object? right) => (op, left, right) switch
    {
        ("+", string a, string b) => a + b,
        ("+", List<object?> a, List<object?> b) => a.Concat(b).ToList(),
        ("+", long a, long b) => checked(a + b),
        ("-", long a, long b) => checked(a - b),
        ("*", long a, long b) => checked(a * b),
        ("/", long a, long b) => a / b,
        ("%", long a, long b) => a % b,
        ("+", double a, double b) => a + b,
        ("-", double a, double b) => a - b,
        ("*", double a, double b) => a * b,
        ("/", double a, double b) => a / b,
        _ => throw new CelException($"no overload {op} for {TypeName(left)}, {TypeName(right)}"),
    };

    /// <summary>CEL equality: values of different types are unequal (no implicit int/double conversion).</summary>
    public static bool DeepEquals(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (List<object?> a, List<object?> b) => a.Count == b.Count && a.Zip(b).All(p => DeepEquals(p.First, p.Second)),
        (Dictionary<string, object?> a, Dictionary<string, object?> b) =>
            a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && DeepEquals(e.Value, v)),
        (CelType a, CelType b) => a.Name == b.Name,
        (long or double or string or bool, _) => left.Equals(right),
        _ => false,
    };

    private static string TypeName(object? value) => value switch
    {
        null => "null_type",
        bool => "bool",
        long => "int",
        double => "double",
        string => "string",
        List<object?> => "list",
        Dictionary<string, object?> => "map",
        CelType => "type",
        _ => value.GetType().Name,
    };

    private sealed record CelType(string Name);

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();
}
