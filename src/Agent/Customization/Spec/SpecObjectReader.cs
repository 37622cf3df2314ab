using System.Globalization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Reads the fields of one object of a spec document, reporting wrong types, duplicate keys and (on
/// <see cref="Finish"/>) unknown keys with their field paths. A field with a problem reads as unset, so binding goes
/// on and every problem is found in one pass. Null values read as unset, as in Kubernetes.
/// </summary>
internal sealed class SpecObjectReader
{
    private readonly SpecNode _node;
    private readonly string _path;
    private readonly SpecProblems _problems;
    private readonly Dictionary<string, SpecNode> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _known = [];

    public SpecObjectReader(SpecNode node, string path, SpecProblems problems)
    {
        _node = node;
        _path = path;
        _problems = problems;
        foreach (var (key, value) in node.Entries)
        {
            if (!_fields.TryAdd(key, value))
            {
                problems.Add(value, Child(key), "given twice");
            }
        }
    }

    /// <summary>Binds <paramref name="node"/> as an object, or reports that it is not one (null then).</summary>
    public static T? Read<T>(SpecNode node, string path, SpecProblems problems, Func<SpecObjectReader, T> bind)
        where T : class
    {
        if (node.Kind != SpecNodeKind.Object)
        {
            problems.Add(node, path, $"expected an object, found {node.Describe()}");
            return null;
        }

        var reader = new SpecObjectReader(node, path, problems);
        var value = bind(reader);
        reader.Finish();
        return value;
    }

    public string? String(string name)
    {
        var node = Field(name);
        if (node is null)
        {
            return null;
        }

        if (node.Kind == SpecNodeKind.String)
        {
            return node.Text;
        }

        _problems.Add(node, Child(name), $"expected a string, found {node.Describe()}");
        return null;
    }

    public bool? Boolean(string name)
    {
        var node = Field(name);
        if (node is null)
        {
            return null;
        }

        if (node.Kind == SpecNodeKind.Boolean || (node.IsPlain && SpecScalars.IsBoolean(node.Text!)))
        {
            return SpecScalars.ParseBoolean(node.Text!);
        }

        _problems.Add(node, Child(name), $"expected true or false, found {node.Describe()}");
        return null;
    }

    public long? Integer(string name, long min, long max)
    {
        var node = Field(name);
        if (node is null)
        {
            return null;
        }

        if (node.Kind != SpecNodeKind.Number && !node.IsPlain)
        {
            _problems.Add(node, Child(name), $"expected a whole number, found {node.Describe()}");
            return null;
        }

        if (!long.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            _problems.Add(node, Child(name), node.Describe() == "a number"
                ? $"{node.Text} is not a whole number from {min} to {max}"
                : $"expected a whole number, found {node.Describe()}");
            return null;
        }

        if (value < min || value > max)
        {
            _problems.Add(node, Child(name), $"{value} is not a whole number from {min} to {max}");
            return null;
        }

        return value;
    }

    public List<string>? Strings(string name) => List(name, string.Empty, (item, path) =>
    {
        if (item.Kind == SpecNodeKind.String)
        {
            return item.Text;
        }

        _problems.Add(item, path, $"expected a string, found {item.Describe()}");
        return null;
    });

    public List<T>? Objects<T>(string name, Func<SpecObjectReader, T> bind)
        where T : class, new() => List(name, new T(), (item, path) => Read(item, path, _problems, bind));

    public T? Object<T>(string name, Func<SpecObjectReader, T> bind)
        where T : class => Field(name) is { } node ? Read(node, Child(name), _problems, bind) : null;

    /// <summary>A file mode: a string is octal, a number decimal (<see cref="FileModeSpec"/>); range checks are the validator's.</summary>
    public FileModeSpec? Mode(string name)
    {
        var node = Field(name);
        switch (node)
        {
            case null:
                return null;
            case { Kind: SpecNodeKind.String, IsPlain: false }:
                return FileModeSpec.Octal(node.Text!);
            case { Kind: SpecNodeKind.Number }:
            case { IsPlain: true } when node.Text!.All(char.IsAsciiDigit) && !(node.Text!.Length > 1 && node.Text[0] == '0'):
                return int.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? FileModeSpec.Number(n)
                    : new FileModeSpec(node.Text!, IsNumber: true);
            case { IsPlain: true } when !SpecScalars.IsBoolean(node.Text!):
                // YAML's unquoted 0644 and 0o644 are octal, as YAML 1.1 and Kubernetes read them.
                return FileModeSpec.Octal(node.Text!);
            default:
                _problems.Add(node, Child(name), $"expected an octal string such as \"0644\" or a number, found {node.Describe()}");
                return null;
        }
    }

    /// <summary>Reports every key no read asked for, suggesting a known field one or two typos away.</summary>
    public void Finish()
    {
        foreach (var (key, value) in _node.Entries)
        {
            if (!_known.Contains(key) && _fields[key] == value)
            {
                var near = _known.FirstOrDefault(k => Distance(k, key) <= 2);
                _problems.Add(value, Child(key), near is null ? $"unknown field (known: {string.Join(", ", _known)})" : $"unknown field (did you mean {near}?)");
            }
        }
    }

    /// <summary>A list whose items keep their indices: a bad item (reported) is replaced by <paramref name="placeholder"/>,
    /// so the value checks that run afterwards name the same [i] as the document.</summary>
    private List<T>? List<T>(string name, T placeholder, Func<SpecNode, string, T?> item)
        where T : class
    {
        var node = Field(name);
        if (node is null)
        {
            return null;
        }

        if (node.Kind != SpecNodeKind.List)
        {
            _problems.Add(node, Child(name), $"expected a list, found {node.Describe()}");
            return null;
        }

        var values = new List<T>();
        for (var i = 0; i < node.Items.Count; i++)
        {
            values.Add(item(node.Items[i], $"{Child(name)}[{i}]") ?? placeholder);
        }

        return values;
    }

    private SpecNode? Field(string name)
    {
        _known.Add(name);
        return _fields.TryGetValue(name, out var node) && node.Kind != SpecNodeKind.Null ? node : null;
    }

    private string Child(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
