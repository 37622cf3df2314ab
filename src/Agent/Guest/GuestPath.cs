using Imprint.Agent.Errors;

namespace Imprint.Agent.Guest;

/// <summary>Lexical helpers for guest paths: always absolute, '/'-separated, relative to the guest root.</summary>
internal static class GuestPath
{
    public const string Root = "/";

    /// <summary>Checks a path is absolute and has no characters a debugfs command file cannot carry; returns its components.</summary>
    public static string[] Components(string path, bool allowDotDot)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw ImprintException.Usage($"guest path '{path}' must be absolute");
        }

        if (path.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            throw ImprintException.Usage($"guest path '{Printable(path)}' contains a newline or NUL");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (!allowDotDot && parts.Contains(".."))
        {
            throw ImprintException.Usage($"guest path '{path}' must not contain '..'");
        }

        foreach (var part in parts)
        {
            // debugfs reads "<123>" as an inode number, so such a name could not be addressed safely.
            if (part.Length > 2 && part[0] == '<' && part[^1] == '>')
            {
                throw ImprintException.Unsupported($"guest path '{path}' has a component '{part}' that debugfs would read as an inode number");
            }

            if (part.Length > 255)
            {
                throw ImprintException.Usage($"guest path '{path}' has a component longer than 255 bytes");
            }
        }

        return parts;
    }

    /// <summary>Normalises an edit path: absolute, no '.', no '..', no doubled slashes.</summary>
    public static string Normalize(string path) => Join(Components(path, allowDotDot: false));

    public static string Join(IEnumerable<string> components)
    {
        var joined = string.Join('/', components);
        return "/" + joined;
    }

    public static string Combine(string parent, string name) => parent == Root ? "/" + name : parent + "/" + name;

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? Root : path[..slash];
    }

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    public static bool IsUnder(string path, string ancestor) =>
        ancestor == Root ? path != Root : path.StartsWith(ancestor + "/", StringComparison.Ordinal);

    /// <summary>Quotes an argument for debugfs' command parser: double quotes, embedded quotes doubled.</summary>
    public static string Quote(string argument) => "\"" + argument.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Printable(string path) => path.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
}
