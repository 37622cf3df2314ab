namespace Imprint.Agent.Inspection;

/// <summary>Parsed <c>/etc/os-release</c> (KEY=value lines, optionally quoted).</summary>
public sealed record OsRelease(IReadOnlyDictionary<string, string> Fields)
{
    public string? Id => Get("ID");

    public string? VersionId => Get("VERSION_ID");

    public string? PrettyName => Get("PRETTY_NAME");

    public string? Name => Get("NAME");

    /// <summary>ID_LIKE as a list (e.g. "rhel centos fedora").</summary>
    public IReadOnlyList<string> IdLike => Get("ID_LIKE")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public string? Get(string key) => Fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public static OsRelease Parse(string content)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            fields[line[..equals]] = Unquote(line[(equals + 1)..]);
        }

        return new OsRelease(fields);
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
        {
            value = value[1..^1];
        }

        return value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\$", "$", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
    }
}
