using System.Globalization;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Passwords;

/// <summary>
/// The guest's users and groups (from its own /etc/passwd and /etc/group, never the host's): uid/gid/home lookups
/// and owner resolution for files the spec writes.
/// </summary>
public sealed class PasswdDatabase(IReadOnlyList<PasswdEntry> users, IReadOnlyList<GroupEntry> groups)
{
    public IReadOnlyList<PasswdEntry> Users { get; } = users;

    public IReadOnlyList<GroupEntry> Groups { get; } = groups;

    public static PasswdDatabase Parse(string? passwd, string? group) => new(PasswdFile.ParseUsers(passwd), PasswdFile.ParseGroups(group));

    public PasswdEntry? TryUser(string name) => Users.FirstOrDefault(u => u.Name == name);

    public GroupEntry? TryGroup(string name) => Groups.FirstOrDefault(g => g.Name == name);

    public PasswdEntry User(string name) =>
        TryUser(name) ?? throw ImprintException.Usage($"user '{name}' does not exist in the guest's /etc/passwd");

    public GroupEntry Group(string name) =>
        TryGroup(name) ?? throw ImprintException.Usage($"group '{name}' does not exist in the guest's /etc/group");

    /// <summary>
    /// Resolves "user:group" or "uid:gid" (mixing is fine: "web:0"). Like chown, an all-digit part is a number, so
    /// numeric ids need not exist in the guest; names must. A user alone ("web" or "998") takes that user's primary
    /// group from the guest's /etc/passwd, so the user must exist there.
    /// </summary>
    public (uint Uid, uint Gid) ResolveOwner(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
        {
            throw ImprintException.Usage($"owner '{owner}' must be user, uid, user:group or uid:gid");
        }

        var numericUid = uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var u);
        if (parts.Length == 1)
        {
            var user = numericUid
                ? Users.FirstOrDefault(e => e.Uid == u) ?? throw ImprintException.Usage($"owner '{owner}': uid {u} has no entry in the guest's /etc/passwd to take a group from; give uid:gid")
                : User(parts[0]);
            return (user.Uid, user.Gid);
        }

        var uid = numericUid ? u : User(parts[0]).Uid;
        var gid = uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : Group(parts[1]).Gid;
        return (uid, gid);
    }
}
