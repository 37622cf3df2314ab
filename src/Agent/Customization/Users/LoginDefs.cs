using System.Globalization;

namespace Imprint.Agent.Customization.Users;

/// <summary>
/// The few /etc/login.defs settings useradd reads that offline user creation follows: id ranges, home mode, password
/// aging of new shadow lines. Missing or malformed values fall back to shadow-utils' built-in defaults.
/// </summary>
public sealed class LoginDefs
{
    private readonly Dictionary<string, string> _values;

    private LoginDefs(Dictionary<string, string> values) => _values = values;

    public static LoginDefs Parse(string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
            {
                // The last setting wins, as in shadow-utils' getdef.
                values[parts[0]] = parts[1].Trim().Trim('"');
            }
        }

        return new LoginDefs(values);
    }

    public uint UidMin => Id("UID_MIN", 1000);

    /// <summary>UID_MAX, but never above 60000: the ids from 60000 up are nobody/nogroup and dynamic users.</summary>
    public uint UidMax => Math.Min(Id("UID_MAX", 60000), 60000);

    public uint GidMin => Id("GID_MIN", 1000);

    public uint GidMax => Math.Min(Id("GID_MAX", 60000), 60000);

    /// <summary>
    /// The mode of a new home directory, as useradd computes it: HOME_MODE when set, else 0777 without the UMASK bits
    /// (UMASK defaults to 022, so 0755 when login.defs says nothing).
    /// </summary>
    public int HomeMode => Octal("HOME_MODE") ?? (0b111_111_111 & ~(Octal("UMASK") ?? 0b000_010_010));

    /// <summary>PASS_MIN_DAYS / PASS_MAX_DAYS / PASS_WARN_AGE as shadow fields; empty (aging off) when not set.</summary>
    public string PassMinDays => Number("PASS_MIN_DAYS");

    public string PassMaxDays => Number("PASS_MAX_DAYS");

    public string PassWarnAge => Number("PASS_WARN_AGE");

    private uint Id(string key, uint fallback) =>
        _values.TryGetValue(key, out var v) && uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    private string Number(string key) =>
        _values.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : string.Empty;

    private int? Octal(string key)
    {
        if (!_values.TryGetValue(key, out var v) || v.Length is 0 or > 5 || v.Any(c => c is < '0' or > '7'))
        {
            return null;
        }

        var mode = Convert.ToInt32(v, 8);
        return mode <= 0b111_111_111 ? mode : null;
    }
}
