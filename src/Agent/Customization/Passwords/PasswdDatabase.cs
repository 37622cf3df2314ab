using System.Globalization;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Passwords;

/// <summary>The guest's /etc/passwd and /etc/group: users' uid, gid and home, and owner resolution.</summary>
public sealed class PasswdDatabase(IReadOnlyList<PasswdEntry> users, IReadOnlyDictionary<string, uint> groups)
{
    public IReadOnlyList<PasswdEntry> Users { get; } = users;

    public static PasswdDatabase Parse(string? passwd, string? group)
    {
        var users = (passwd ?? string.Empty).Split('\n')
            .Select(l => l.Split(':'))
            .Where(f => f.Length >= 7 && uint.TryParse(f[2], out _) && uint.TryParse(f[3], out _))
            .Select(f => new PasswdEntry(f[0], uint.Parse(f[2], CultureInfo.InvariantCulture), uint.Parse(f[3], CultureInfo.InvariantCulture), f[5], f[6]))
            .ToList();
        var groups = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var fields in (group ?? string.Empty).Split('\n').Select(l => l.Split(':')).Where(f => f.Length >= 3 && uint.TryParse(f[2], out _)))
        {
            groups.TryAdd(fields[0], uint.Parse(fields[2], CultureInfo.InvariantCulture));
        }

        return new PasswdDatabase(users, groups);
    }

    public PasswdEntry User(string name) =>
        Users.FirstOrDefault(u => u.Name == name) ?? throw ImprintException.Usage($"user '{name}' does not exist in the guest's /etc/passwd");

    /// <summary>Resolves "uid:gid" or "user:group" (names looked up in the guest, not on the host).</summary>
    public (uint Uid, uint Gid) Owner(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 2)
        {
            throw ImprintException.Usage($"owner '{owner}' must be uid:gid or user:group");
        }

        var uid = uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : User(parts[0]).Uid;
        var gid = uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g
            : groups.TryGetValue(parts[1], out var named) ? named
            : throw ImprintException.Usage($"group '{parts[1]}' does not exist in the guest's /etc/group");
        return (uid, gid);
    }
}
